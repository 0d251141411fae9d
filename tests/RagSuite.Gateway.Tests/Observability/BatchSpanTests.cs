using System.Diagnostics;
using RagSuite.Inference.Batching;
using RagSuite.Testing;
using Xunit.Abstractions;

namespace RagSuite.Gateway.Tests.Observability;

/// <summary>A query that runs the dense model leads, by a link from the model's batch span, back to the query's embed stage.</summary>
public sealed class BatchSpanTests(ITestOutputHelper output) : IDisposable
{
    private static readonly ActivitySource TestSource = new("RagSuite.Gateway.Tests");
    private readonly TemporaryDirectory _data = new("ragsuite-batch-spans");

    [UseLiteFact]
    public async Task The_batch_that_embeds_a_question_links_to_the_querys_embed_span()
    {
        await UseLiteModel.EnsureAsync();
        using var collector = new SpanCollector();
        await using var gateway = await RunningHost.StartAsync(GatewayHost.Build,
            $"RagSuite:Retriever:DataDirectory={_data.Path}", $"RagSuite:Models:Directory={UseLiteModel.ModelsDirectory}");
        using var client = gateway.CreateHttpClient();
        await client.CreateCollectionAsync("pets");
        await client.IngestAsync("pets", new { id = "cat", text = "The cat slept on the warm windowsill all afternoon." });

        ActivityTraceId trace;
        var previous = Activity.Current;
        Activity.Current = null;
        using (var root = TestSource.StartActivity("test query", ActivityKind.Client)!)
        {
            trace = root.TraceId;
            await client.QueryAsync(new { question = "Where did the cat sleep?", collection = "pets", mode = "dense", generate = false });
        }
        Activity.Current = previous;

        var spans = await collector.WaitForTraceAsync(trace, s => s.Any(x => x.DisplayName == "POST /v1/query"));
        output.WriteLine(SpanCollector.Describe(spans));
        var embed = Assert.Single(spans, s => s.Source.Name == "RagSuite.Gateway" && s.DisplayName == "embed");
        var batch = Assert.Single(collector.Linked(trace), s => s.Source.Name == InferenceTracing.SourceName);
        Assert.NotEqual(trace, batch.TraceId);
        Assert.Contains(batch.Links, l => l.Context.SpanId == embed.SpanId);
        Assert.Equal("use-lite", batch.GetTagItem("ragsuite.model"));
    }

    public void Dispose() => _data.Dispose();
}
