using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Testing;
using RetrieverClient = RagSuite.Contracts.V1.Retriever.RetrieverClient;

namespace RagSuite.Retriever.Tests;

/// <summary>The retriever's gRPC contract over a real Kestrel socket on loopback.</summary>
public sealed class RetrieverGrpcTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private RunningHost _host = null!;
    private GrpcChannel _channel = null!;
    private RetrieverClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await RunningHost.StartAsync(RetrieverHost.Build, GrpcServiceChecks.ReflectionOn, $"RagSuite:Retriever:DataDirectory={_data.Path}");
        _channel = GrpcChannel.ForAddress(_host.GrpcAddress);
        _client = new RetrieverClient(_channel);
    }

    [Fact]
    public async Task Collections_points_and_search_work_over_the_wire()
    {
        var created = await _client.CreateCollectionAsync(new CreateCollectionRequest { Name = "wire" });
        Assert.Equal(0.9f, created.Config.Bm25.K1);

        var written = await _client.UpsertDocumentsAsync(new UpsertDocumentsRequest
        {
            Collection = "wire",
            Documents = { Points.Document("a", "shock wave boundary layer", "interaction"), Points.Document("b", "heat transfer") },
        });
        Assert.Equal(3, written.PointsWritten);

        var found = await _client.SearchAsync(Points.Search("wire", "shock interaction"));
        Assert.Equal(FusionMode.SparseOnly, found.Fusion);
        Assert.Equal(["a#0", "a#1"], found.Hits.Select(h => h.Point.Id).Order());

        var stored = await _client.GetDocumentsAsync(new GetDocumentsRequest { Collection = "wire", DocumentIds = { "a", "zzz" } });
        Assert.Equal(2, stored.Documents.Single().ChunkCount);

        var deleted = await _client.DeleteDocumentAsync(new DeleteDocumentRequest { Collection = "wire", DocumentId = "a" });
        Assert.Equal(2, deleted.PointsDeleted);
        Assert.Equal(1, (await _client.GetCollectionAsync(new GetCollectionRequest { Name = "wire" })).PointCount);
        Assert.Contains("wire", (await _client.ListCollectionsAsync(new ListCollectionsRequest())).Collections.Select(c => c.Name));
        await _client.DeleteCollectionAsync(new DeleteCollectionRequest { Name = "wire" });
    }

    [Fact]
    public async Task Unknown_collection_is_NOT_FOUND_with_a_RagSuite_reason()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetCollectionAsync(new GetCollectionRequest { Name = "missing" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("missing", error.Status.Detail);
        Assert.Equal("NotFound", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }

    [Fact]
    public async Task Invalid_request_is_INVALID_ARGUMENT_with_field_violations()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _client.CreateCollectionAsync(new CreateCollectionRequest { Name = "bad name", Config = new CollectionConfig { DenseDimension = -1 } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToList();
        Assert.Contains("name", violations);
        Assert.Contains("config.dense_dimension", violations);
    }

    [Fact]
    public async Task Existing_collection_is_ALREADY_EXISTS()
    {
        await _client.CreateCollectionAsync(new CreateCollectionRequest { Name = "twice" });

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CreateCollectionAsync(new CreateCollectionRequest { Name = "twice" }).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
    }

    [Fact]
    public async Task Health_reflection_and_metrics_are_served()
    {
        await _client.CreateCollectionAsync(new CreateCollectionRequest { Name = "metered" });
        await _client.SearchAsync(Points.Search("metered", "anything"));

        await GrpcServiceChecks.AssertStandardServicesAsync(_host, _channel, "ragsuite.v1.Retriever", "ragsuite_retriever_search_duration_seconds");
    }

    [Fact]
    public async Task Restarted_host_serves_the_same_results()
    {
        await _client.CreateCollectionAsync(new CreateCollectionRequest { Name = "durable" });
        await _client.UpsertDocumentsAsync(new UpsertDocumentsRequest { Collection = "durable", Documents = { Points.Document("a", "stall margin"), Points.Document("b", "stall") } });
        var before = await _client.SearchAsync(Points.Search("durable", "stall margin"));

        await DisposeHostAsync();
        _host = await RunningHost.StartAsync(RetrieverHost.Build, $"RagSuite:Retriever:DataDirectory={_data.Path}");
        _channel = GrpcChannel.ForAddress(_host.GrpcAddress);
        var after = await new RetrieverClient(_channel).SearchAsync(Points.Search("durable", "stall margin"));

        Assert.Equal(before.Hits.Select(h => (h.Point.Id, h.Score)), after.Hits.Select(h => (h.Point.Id, h.Score)));
    }

    private async Task DisposeHostAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        await DisposeHostAsync();
        _data.Dispose();
    }
}
