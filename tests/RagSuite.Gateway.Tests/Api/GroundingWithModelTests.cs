using RagSuite.Testing;
using RagSuite.Testing.OpenAi;

namespace RagSuite.Gateway.Tests.Api;

/// <summary>Groundedness judged by the embedder's dense model (USE-lite) when the gateway has one.</summary>
public sealed class GroundingWithModelTests : IDisposable
{
    private readonly TemporaryDirectory _data = new("ragsuite-grounding");

    [UseLiteFact]
    public async Task With_a_dense_model_support_is_judged_by_embedding_similarity()
    {
        await UseLiteModel.EnsureAsync();
        await using var upstream = await TestUpstream.StartAsync("served");
        await using var gateway = await RunningHost.StartAsync(GatewayHost.Build,
            $"RagSuite:Retriever:DataDirectory={_data.Path}", $"RagSuite:Models:Directory={UseLiteModel.ModelsDirectory}",
            "RagSuite:Generator:Upstreams:0:Name=vllm", $"RagSuite:Generator:Upstreams:0:BaseUrl={upstream.BaseUrl}", "RagSuite:Generator:Upstreams:0:Model=served");
        using var client = gateway.CreateHttpClient();
        await client.CreateCollectionAsync("docs");
        await client.IngestAsync("docs",
            new { id = "tower", text = "The Eiffel Tower in Paris was completed in 1889. The Eiffel Tower is 330 metres tall and made of wrought iron." });
        var query = new { collection = "docs", question = "How tall is the Eiffel Tower?" };

        upstream.AnswerWith(_ => "The Eiffel Tower is 330 metres tall [1]. The Eiffel Tower in Paris was finished in 1889 [1].");
        var supported = (await client.QueryAsync(query))["generation"]!["grounding"]!;
        upstream.AnswerWith(_ => "The Eiffel Tower is 330 metres tall [1]. Stock markets fell sharply after interest rates rose [1].");
        var half = (await client.QueryAsync(query))["generation"]!["grounding"]!;

        Assert.Equal("embedding", (string?)supported["method"]);
        Assert.Equal(1.0, (double)supported["score"]!);
        Assert.Equal(0.5, (double)half["score"]!);
        Assert.False((bool)half["below_threshold"]!);
    }

    public void Dispose() => _data.Dispose();
}
