using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Testing;
using RerankerClient = RagSuite.Contracts.V1.Reranker.RerankerClient;

namespace RagSuite.Reranker.Tests;

/// <summary>The reranker's gRPC contract over a real Kestrel socket on loopback.</summary>
public sealed class RerankerGrpcTests : IAsyncLifetime
{
    private static readonly string[] Passages =
    [
        "Plants need light.",
        "Supersonic flow over a wedge produces an oblique shock.",
        "An oblique shock forms in supersonic flow; the wedge angle sets its strength.",
    ];

    private RunningHost _host = null!;
    private GrpcChannel _channel = null!;
    private RerankerClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await RunningHost.StartAsync(RerankerHost.Build, GrpcServiceChecks.ReflectionOn, "RagSuite:Reranker:MaxPassages=5");
        _channel = GrpcChannel.ForAddress(_host.GrpcAddress);
        _client = new RerankerClient(_channel);
    }

    [Fact]
    public async Task Auto_without_a_cross_encoder_keeps_the_retrieval_order_and_says_why()
    {
        var response = await _client.RerankAsync(new RerankRequest
        {
            Query = "oblique shock wedge angle", Passages = { Passages }, Mode = RerankMode.Auto, PriorScores = { 0.2f, 0.9f, 0.5f },
        });

        Assert.Equal(RerankMode.None, response.Mode);
        Assert.Equal([1, 2, 0], response.Scores.Select(s => s.Index));
        Assert.Contains("no cross-encoder is configured", response.Note);
        Assert.Equal(RerankMode.None, (await _client.GetInfoAsync(new GetRerankerInfoRequest())).AutoMode);
    }

    [Fact]
    public async Task Lexical_mode_ranks_by_coverage_and_proximity()
    {
        var response = await _client.RerankAsync(new RerankRequest { Query = "oblique shock wedge angle", Passages = { Passages }, Mode = RerankMode.Lexical });

        Assert.Equal(RerankMode.Lexical, response.Mode);
        Assert.Equal("lexical-coverage-proximity-v1", response.Model);
        Assert.Equal([2, 1, 0], response.Scores.Select(s => s.Index));
        Assert.True(response.Scores[0].Score > response.Scores[1].Score);
        Assert.Empty(response.Note);
    }

    [Fact]
    public async Task None_mode_keeps_the_prior_order_and_scores()
    {
        var response = await _client.RerankAsync(new RerankRequest
        {
            Query = "oblique shock", Passages = { Passages }, Mode = RerankMode.None, PriorScores = { 0.2f, 0.9f, 0.5f },
        });

        Assert.Equal(RerankMode.None, response.Mode);
        Assert.Equal([1, 2, 0], response.Scores.Select(s => s.Index));
        Assert.Equal([0.9f, 0.5f, 0.2f], response.Scores.Select(s => s.Score));
    }

    public static TheoryData<string> BadRequests =>
        ["empty query", "no passages", "too many passages", "prior scores mismatch", "cross-encoder", "mmr lambda", "unknown mode", "empty passage for bi-encoder"];

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_are_INVALID_ARGUMENT_naming_the_field(string name)
    {
        var (request, field) = name switch
        {
            "empty query" => (new RerankRequest { Passages = { "x" } }, "query"),
            "no passages" => (new RerankRequest { Query = "x" }, "passages"),
            "too many passages" => (new RerankRequest { Query = "x", Passages = { Enumerable.Repeat("p", 6) } }, "passages"),
            "prior scores mismatch" => (new RerankRequest { Query = "x", Passages = { "a", "b" }, PriorScores = { 1 } }, "prior_scores"),
            "mmr lambda" => (new RerankRequest { Query = "x", Passages = { "a" }, Mode = RerankMode.BiEncoder, MmrLambda = 1.5f }, "mmr_lambda"),
            "unknown mode" => (new RerankRequest { Query = "x", Passages = { "a" }, Mode = (RerankMode)42 }, "mode"),
            "empty passage for bi-encoder" => (new RerankRequest { Query = "x", Passages = { "a", " " }, Mode = RerankMode.BiEncoder }, "passages[1]"),
            _ => (new RerankRequest { Query = "x", Passages = { "a" }, Mode = RerankMode.CrossEncoder }, "mode"),
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RerankAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Health_reflection_and_metrics_are_served()
    {
        await _client.RerankAsync(new RerankRequest { Query = "shock", Passages = { Passages } });
        Assert.False((await _client.GetInfoAsync(new GetRerankerInfoRequest())).CrossEncoderAvailable);

        await GrpcServiceChecks.AssertStandardServicesAsync(_host, _channel, "ragsuite.v1.Reranker", "ragsuite_reranker_passages_total");
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }
}
