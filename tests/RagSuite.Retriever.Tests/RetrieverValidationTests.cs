using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Storage;
using RagSuite.Testing;

namespace RagSuite.Retriever.Tests;

/// <summary>Every malformed retriever request is refused with the field at fault, before it touches the store.</summary>
public sealed class RetrieverValidationTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();
    private readonly EmbeddedVectorStore _store;
    private readonly InProcessRetriever _retriever;

    public RetrieverValidationTests()
    {
        var options = Options.Create(new RetrieverOptions { DataDirectory = _data.Path, MaxTopK = 50, MaxDenseDimension = 16 });
        _store = new EmbeddedVectorStore(options, NullLogger<EmbeddedVectorStore>.Instance);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        _retriever = new InProcessRetriever(_store, options, new RetrieverMetrics(meters));
        _store.Create("sparse", new CollectionConfig { Bm25 = new Bm25Parameters { K1 = 0.9f, B = 0.4f } });
        _store.Create("dense", new CollectionConfig { DenseDimension = 2, Bm25 = new Bm25Parameters { K1 = 0.9f, B = 0.4f } });
        _store.Create("modelled", new CollectionConfig { DenseDimension = 2, DenseModel = "model-a", Bm25 = new Bm25Parameters { K1 = 0.9f, B = 0.4f } });
        _store.Create("tenants", new CollectionConfig { TenantKey = "tenant", Bm25 = new Bm25Parameters { K1 = 0.9f, B = 0.4f } });
    }

    private static Filter Nested(int depth) =>
        depth == 0 ? new Filter { Must = { new Condition { Key = "k", Equals_ = Google.Protobuf.WellKnownTypes.Value.ForString("x") } } }
            : new Filter { Should = { new Condition { Filter = Nested(depth - 1) } } };

    private static DocumentWrite OfTenant(Google.Protobuf.WellKnownTypes.Value? tenant)
    {
        var write = Points.Document("a", "x");
        if (tenant is not null) write.Points[0].Metadata.Fields["tenant"] = tenant;
        return write;
    }

    public static TheoryData<string> Cases => [.. BadRequests.Keys];

    private static readonly Dictionary<string, (Func<InProcessRetriever, Task> Call, ErrorKind Kind, string Field)> BadRequests = new()
    {
        ["create: invalid name"] = (r => r.CreateCollectionAsync(new() { Name = "no/slashes" }, default), ErrorKind.Validation, "name"),
        ["create: name with a trailing newline"] = (r => r.CreateCollectionAsync(new() { Name = "docs\n" }, default), ErrorKind.Validation, "name"),
        ["create: name with a trailing CR LF"] = (r => r.CreateCollectionAsync(new() { Name = "docs\r\n" }, default), ErrorKind.Validation, "name"),
        ["create: name '..'"] = (r => r.CreateCollectionAsync(new() { Name = ".." }, default), ErrorKind.Validation, "name"),
        ["create: dimension too large"] = (r => r.CreateCollectionAsync(new() { Name = "big", Config = new() { DenseDimension = 17 } }, default), ErrorKind.Validation, "config.dense_dimension"),
        ["create: b above one"] = (r => r.CreateCollectionAsync(new() { Name = "b", Config = new() { Bm25 = new() { K1 = 1, B = 2 } } }, default), ErrorKind.Validation, "config.bm25.b"),
        ["create: existing"] = (r => r.CreateCollectionAsync(new() { Name = "sparse" }, default), ErrorKind.Conflict, ""),
        ["get: unknown"] = (r => r.GetCollectionAsync(new() { Name = "missing" }, default), ErrorKind.NotFound, ""),
        ["delete: empty name"] = (r => r.DeleteCollectionAsync(new() { Name = "" }, default), ErrorKind.Validation, "collection"),
        ["upsert: no documents"] = (r => r.UpsertDocumentsAsync(new() { Collection = "sparse" }, default), ErrorKind.Validation, "documents"),
        ["upsert: document without points"] = (r => Upsert(r, "sparse", new DocumentWrite { DocumentId = "a" }), ErrorKind.Validation, "documents[0].points"),
        ["upsert: empty document id"] = (r => Upsert(r, "sparse", Points.Document("", "x")), ErrorKind.Validation, "documents[0].document_id"),
        ["upsert: same document twice"] = (r => Upsert(r, "sparse", Points.Document("a", "x"), Points.Document("a", "y")), ErrorKind.Validation, "documents[1].document_id"),
        ["upsert: point of another document"] = (r => Upsert(r, "sparse", Mutate(Points.Document("a", "x"), p => p.DocumentId = "b")), ErrorKind.Validation, "documents[0].points[0].document_id"),
        ["upsert: empty point id"] = (r => Upsert(r, "sparse", Mutate(Points.Document("a", "x"), p => p.Id = "")), ErrorKind.Validation, "documents[0].points[0].id"),
        ["upsert: dense vector in a sparse collection"] = (r => Upsert(r, "sparse", Points.Document("a", "x").WithDense([1, 2])), ErrorKind.Validation, "documents[0].points[0].dense"),
        ["upsert: wrong dense dimension"] = (r => Upsert(r, "dense", Points.Document("a", "x").WithDense([1, 2, 3])), ErrorKind.Validation, "documents[0].points[0].dense"),
        ["upsert: missing dense vector"] = (r => Upsert(r, "dense", Points.Document("a", "x")), ErrorKind.Validation, "documents[0].points[0].dense"),
        ["upsert: zero dense vector"] = (r => Upsert(r, "dense", Points.Document("a", "x").WithDense([0, 0])), ErrorKind.Validation, "documents[0].points[0].dense"),
        ["upsert: NaN in dense vector"] = (r => Upsert(r, "dense", Points.Document("a", "x").WithDense([float.NaN, 1])), ErrorKind.Validation, "documents[0].points[0].dense"),
        ["upsert: sparse lengths differ"] = (r => Upsert(r, "sparse", Mutate(Points.Document("a", "x"), p => p.Sparse.Values.Add(1))), ErrorKind.Validation, "documents[0].points[0].sparse"),
        ["upsert: negative sparse weight"] = (r => Upsert(r, "sparse", Mutate(Points.Document("a", "x"), p => p.Sparse.Values[0] = -1)), ErrorKind.Validation, "documents[0].points[0].sparse"),
        ["upsert: repeated sparse index"] = (r => Upsert(r, "sparse", Mutate(Points.Document("a", "x y"), p => p.Sparse.Indices[1] = p.Sparse.Indices[0])), ErrorKind.Validation, "documents[0].points[0].sparse"),
        ["upsert: unknown collection"] = (r => Upsert(r, "missing", Points.Document("a", "x")), ErrorKind.NotFound, ""),
        ["delete document: unknown"] = (r => r.DeleteDocumentAsync(new() { Collection = "sparse", DocumentId = "nope" }, default), ErrorKind.NotFound, ""),
        ["delete document: empty id"] = (r => r.DeleteDocumentAsync(new() { Collection = "sparse" }, default), ErrorKind.Validation, "document_id"),
        ["search: top_k zero"] = (r => r.SearchAsync(Points.Search("sparse", "x", topK: 0), default), ErrorKind.Validation, "top_k"),
        ["search: top_k above the limit"] = (r => r.SearchAsync(Points.Search("sparse", "x", topK: 51), default), ErrorKind.Validation, "top_k"),
        ["search: dense-only query on a sparse collection"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, DenseQuery = { 1, 0 }, Fusion = FusionMode.DenseOnly }, default), ErrorKind.Validation, "dense_query"),
        ["search: RRF over a sparse collection"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, DenseQuery = { 1, 0 }, SparseQuery = Points.Terms("x"), Fusion = FusionMode.Rrf }, default), ErrorKind.Validation, "dense_query"),
        ["search: query of another model"] = (r => r.SearchAsync(new() { Collection = "modelled", TopK = 1, DenseQuery = { 1, 0 }, DenseModel = "model-b" }, default), ErrorKind.Conflict, ""),
        ["upsert: vectors of another model"] = (r => r.UpsertDocumentsAsync(new() { Collection = "modelled", DenseModel = "model-b", Documents = { Points.Document("a", "x").WithDense([1, 0]) } }, default), ErrorKind.Conflict, ""),
        ["search: negative rrf_k"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, RrfK = -1, SparseQuery = Points.Terms("x") }, default), ErrorKind.Validation, "rrf_k"),
        ["search: dense query of the wrong dimension"] = (r => r.SearchAsync(new() { Collection = "dense", TopK = 1, DenseQuery = { 1 } }, default), ErrorKind.Validation, "dense_query"),
        ["search: dense-only without a dense query"] = (r => r.SearchAsync(new() { Collection = "dense", TopK = 1, Fusion = FusionMode.DenseOnly, SparseQuery = Points.Terms("x") }, default), ErrorKind.Validation, "dense_query"),
        ["search: dense weight above one"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, DenseWeight = 2, SparseQuery = Points.Terms("x") }, default), ErrorKind.Validation, "dense_weight"),
        ["search: filter without a key"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, Filter = new() { Must = { new Condition { Equals_ = Google.Protobuf.WellKnownTypes.Value.ForString("x") } } } }, default), ErrorKind.Validation, "filter.must[0]"),
        ["search: filter without a match"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, Filter = new() { MustNot = { new Condition { Key = "k" } } } }, default), ErrorKind.Validation, "filter.must_not[0]"),
        ["search: range without bounds"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, Filter = new() { Must = { new Condition { Key = "k", Range = new() } } } }, default), ErrorKind.Validation, "filter.must[0]"),
        ["create: unknown distance"] = (r => r.CreateCollectionAsync(new() { Name = "d2", Config = new() { DenseDimension = 2, DenseDistance = (DenseDistance)7 } }, default), ErrorKind.Validation, "config.dense_distance"),
        ["create: tenant key with a space"] = (r => r.CreateCollectionAsync(new() { Name = "t2", Config = new() { TenantKey = "my tenant" } }, default), ErrorKind.Validation, "config.tenant_key"),
        ["create: tenant key document_id"] = (r => r.CreateCollectionAsync(new() { Name = "t3", Config = new() { TenantKey = "document_id" } }, default), ErrorKind.Validation, "config.tenant_key"),
        ["upsert: point without its tenant"] = (r => Upsert(r, "tenants", OfTenant(null)), ErrorKind.Validation, "documents[0].points[0].metadata.tenant"),
        ["upsert: tenant that is a number"] = (r => Upsert(r, "tenants", OfTenant(Google.Protobuf.WellKnownTypes.Value.ForNumber(3))), ErrorKind.Validation, "documents[0].points[0].metadata.tenant"),
        ["upsert: empty tenant"] = (r => Upsert(r, "tenants", OfTenant(Google.Protobuf.WellKnownTypes.Value.ForString(""))), ErrorKind.Validation, "documents[0].points[0].metadata.tenant"),
        ["search: multi-tenant collection without a tenant"] = (r => r.SearchAsync(Points.Search("tenants", "x"), default), ErrorKind.Validation, "tenant"),
        ["search: tenant for a collection without tenants"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, Tenant = "A", SparseQuery = Points.Terms("x") }, default), ErrorKind.Validation, "tenant"),
        ["search: filters nested too deep"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, Filter = Nested(6), SparseQuery = Points.Terms("x") }, default), ErrorKind.Validation, "filter.should[0].filter.should[0].filter.should[0].filter.should[0].filter.should[0].filter"),
        ["search: nested filter with a key"] = (r => r.SearchAsync(new() { Collection = "sparse", TopK = 1, Filter = new() { Must = { new Condition { Key = "k", Filter = Nested(0) } } }, SparseQuery = Points.Terms("x") }, default), ErrorKind.Validation, "filter.must[0]"),
        ["documents: too many ids"] = (r => r.GetDocumentsAsync(new() { Collection = "sparse", DocumentIds = { Enumerable.Range(0, 10_001).Select(i => $"d{i}") } }, default), ErrorKind.Validation, "document_ids"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_is_refused_with_its_kind_and_field(string name)
    {
        var (call, kind, field) = BadRequests[name];

        var error = await Assert.ThrowsAsync<RagSuiteException>(() => call(_retriever));

        Assert.Equal(kind, error.Kind);
        if (field.Length > 0) Assert.Contains(field, error.FieldErrors.Keys);
        Assert.Equal(0, (await _retriever.GetCollectionAsync(new() { Name = "sparse" }, default)).PointCount);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_data.Path), e => Path.GetFileName(e).Contains('\n'));
    }

    [Fact]
    public async Task A_hybrid_query_on_a_collection_without_dense_vectors_is_answered_sparse_and_says_so()
    {
        await Upsert(_retriever, "sparse", Points.Document("a", "lift"));

        var found = await _retriever.SearchAsync(new() { Collection = "sparse", TopK = 1, DenseQuery = { 1, 0 }, SparseQuery = Points.Terms("lift") }, default);

        Assert.Equal(FusionMode.SparseOnly, found.Fusion);
        Assert.Equal("a#0", Assert.Single(found.Hits).Point.Id);
    }

    [Fact]
    public async Task Vectors_of_the_collections_own_model_are_taken_and_the_applied_fusion_is_reported()
    {
        await _retriever.UpsertDocumentsAsync(new() { Collection = "modelled", DenseModel = "model-a", Documents = { Points.Document("a", "lift").WithDense([1, 0]) } }, default);

        var found = await _retriever.SearchAsync(new() { Collection = "modelled", TopK = 1, DenseQuery = { 1, 0 }, DenseModel = "model-a", SparseQuery = Points.Terms("lift") }, default);

        Assert.Equal(FusionMode.Weighted, found.Fusion);
        Assert.Equal(0.3f, found.DenseWeight);
        Assert.Equal("a#0", Assert.Single(found.Hits).Point.Id);
    }

    private static Task Upsert(InProcessRetriever retriever, string collection, params DocumentWrite[] documents) =>
        retriever.UpsertDocumentsAsync(new UpsertDocumentsRequest { Collection = collection, Documents = { documents } }, default);

    private static DocumentWrite Mutate(DocumentWrite write, Action<Point> change)
    {
        change(write.Points[0]);
        return write;
    }

    public void Dispose()
    {
        _store.Dispose();
        _data.Dispose();
    }
}
