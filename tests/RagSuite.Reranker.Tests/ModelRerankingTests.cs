using Grpc.Core;
using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Testing;
using RerankerClient = RagSuite.Contracts.V1.Reranker.RerankerClient;

namespace RagSuite.Reranker.Tests;

/// <summary>
/// Model reranking over gRPC: a configured cross-encoder (a tiny Hugging Face export with random weights, which
/// checks the mechanics rather than quality) becomes what AUTO runs; bi-encoder rescoring uses USE-lite.
/// </summary>
public sealed class ModelRerankingTests
{
    private static readonly string CrossEncoderFixture =
        Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Inference.Tests", "Fixtures", "hf", "tiny-cross-encoder");

    [Fact]
    public async Task A_configured_cross_encoder_is_what_auto_runs_and_scores_every_pair()
    {
        using var models = new TemporaryDirectory("ragsuite-models");
        CopyDirectory(CrossEncoderFixture, Path.Combine(models.Path, "tiny-cross-encoder"));
        await using var host = await RunningHost.StartAsync(RerankerHost.Build, $"RagSuite:Models:Directory={models.Path}",
            "RagSuite:Reranker:CrossEncoderModel=tiny-cross-encoder");
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new RerankerClient(channel);
        string[] passages = ["The lift of a wing depends on its area.", "The stock market fell sharply today.", string.Join(' ', Enumerable.Repeat("long passage", 60))];

        var response = await client.RerankAsync(new RerankRequest { Query = "what is the lift of a wing", Passages = { passages }, Mode = RerankMode.Auto });
        var info = await client.GetInfoAsync(new GetRerankerInfoRequest());

        Assert.Equal(RerankMode.CrossEncoder, response.Mode);
        Assert.Equal("tiny-cross-encoder", response.Model);
        Assert.Equal([0, 1, 2], response.Scores.Select(s => s.Index).Order());
        Assert.True(response.Scores.Zip(response.Scores.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal([2], response.Truncated);
        Assert.True(info.CrossEncoderAvailable);
        Assert.Equal(RerankMode.CrossEncoder, info.AutoMode);
        Assert.Equal("ready", Assert.Single(info.Models, m => m.Role == "cross-encoder").Status);
        Assert.Equal("Healthy", await host.CreateHttpClient().GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task A_cross_encoder_that_cannot_load_leaves_auto_on_its_fallback_and_refuses_explicit_requests_with_UNAVAILABLE()
    {
        using var models = new TemporaryDirectory("ragsuite-models");
        await using var host = await RunningHost.StartAsync(RerankerHost.Build, $"RagSuite:Models:Directory={models.Path}",
            "RagSuite:Reranker:CrossEncoderModel=missing-model");
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new RerankerClient(channel);

        var auto = await client.RerankAsync(new RerankRequest { Query = "lift", Passages = { "a", "b" }, Mode = RerankMode.Auto });
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.RerankAsync(new RerankRequest { Query = "lift", Passages = { "a" }, Mode = RerankMode.CrossEncoder }).ResponseAsync);

        Assert.Equal(RerankMode.None, auto.Mode);
        Assert.Contains("missing-model", auto.Note);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("Degraded", await host.CreateHttpClient().GetStringAsync("/readyz"));
    }

    [UseLiteFact]
    public async Task Bi_encoder_rescoring_ranks_by_meaning_and_MMR_pushes_a_near_duplicate_down()
    {
        await UseLiteModel.EnsureAsync();
        await using var host = await RunningHost.StartAsync(RerankerHost.Build, $"RagSuite:Models:Directory={UseLiteModel.ModelsDirectory}");
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new RerankerClient(channel);
        string[] passages =
        [
            "Shares dropped steeply on the exchange this afternoon.",
            "The recipe needs flour, eggs and sugar.",
            "Share prices fell steeply on the exchange this afternoon.",
            "The football match ended in a draw.",
        ];
        var request = new RerankRequest { Query = "Why did the stock market crash today?", Passages = { passages }, Mode = RerankMode.BiEncoder };

        var relevance = await client.RerankAsync(request);
        request.MmrLambda = 0.3f;
        var diverse = await client.RerankAsync(request);

        Assert.Equal(RerankMode.BiEncoder, relevance.Mode);
        Assert.Equal("use-lite", relevance.Model);
        Assert.Equal([0, 2], relevance.Scores.Take(2).Select(s => s.Index).Order());
        Assert.Contains(diverse.Scores[0].Index, new[] { 0, 2 });
        Assert.DoesNotContain(diverse.Scores[1].Index, new[] { 0, 2 }); // its near-duplicate is no longer second
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }
}
