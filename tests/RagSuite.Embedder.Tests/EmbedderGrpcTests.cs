using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Core.Text;
using RagSuite.Testing;
using EmbedderClient = RagSuite.Contracts.V1.Embedder.EmbedderClient;

namespace RagSuite.Embedder.Tests;

/// <summary>The embedder's gRPC contract over a real Kestrel socket on loopback, configured sparse-only (no dense model).</summary>
public sealed class EmbedderGrpcTests : IAsyncLifetime
{
    private RunningHost _host = null!;
    private GrpcChannel _channel = null!;
    private EmbedderClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await RunningHost.StartAsync(EmbedderHost.Build, GrpcServiceChecks.ReflectionOn, "RagSuite:Embedder:Model=", "RagSuite:Embedder:MaxBatchSize=8",
            "RagSuite:Embedder:MaxTextChars=1000");
        _channel = GrpcChannel.ForAddress(_host.GrpcAddress);
        _client = new EmbedderClient(_channel);
    }

    [Fact]
    public async Task Embed_returns_one_sparse_vector_per_text_in_order()
    {
        var response = await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Passage, Texts = { "lift and drag", "drag drag" } });

        Assert.Equal(2, response.Embeddings.Count);
        Assert.Equal(3, response.Embeddings[0].TokenCount);
        Assert.Equal([2f], response.Embeddings[1].Sparse.Values);
        Assert.Equal([TermHasher.Hash("drag")], response.Embeddings[1].Sparse.Indices);
        Assert.All(response.Embeddings, e => Assert.Empty(e.Dense));
        Assert.Equal("bm25-xxhash32-words-v1", response.SparseModel);
    }

    [Fact]
    public async Task Info_reports_no_dense_model_and_the_batch_limit()
    {
        var info = await _client.GetInfoAsync(new GetEmbedderInfoRequest());

        Assert.Equal(0, info.DenseDimension);
        Assert.Equal(8, info.MaxBatchSize);
        Assert.Equal("bm25-xxhash32-words-v1", info.SparseModel);
        Assert.Contains("no dense model is configured", info.DenseUnavailableReason);
    }

    public static TheoryData<string> BadRequests => ["no texts", "no kind", "too many texts", "text too long", "empty text", "blank text"];

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_are_INVALID_ARGUMENT_naming_the_field(string name)
    {
        var (request, field) = name switch
        {
            "no texts" => (new EmbedRequest { Kind = InputKind.Query }, "texts"),
            "no kind" => (new EmbedRequest { Texts = { "x" } }, "kind"),
            "too many texts" => (new EmbedRequest { Kind = InputKind.Query, Texts = { Enumerable.Repeat("x", 9) } }, "texts"),
            "empty text" => (new EmbedRequest { Kind = InputKind.Passage, Texts = { "fine", "" } }, "texts[1]"),
            "blank text" => (new EmbedRequest { Kind = InputKind.Query, Texts = { " \t\n " } }, "texts[0]"),
            _ => (new EmbedRequest { Kind = InputKind.Query, Texts = { "ok", new string('x', 1001) } }, "texts[1]"),
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.EmbedAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.NotEmpty((await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { "still serving" } })).Embeddings);
    }

    [Fact]
    public async Task Health_reflection_and_metrics_are_served()
    {
        await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { "count me" } });

        await GrpcServiceChecks.AssertStandardServicesAsync(_host, _channel, "ragsuite.v1.Embedder", "ragsuite_embedder_texts_total");
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }
}
