using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Stores;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>
/// The requests the Qdrant store sends, checked against the paths, query strings and body shapes of Qdrant's REST API
/// reference (collections, payload indexes, points upsert/delete/count/scroll, the Query API). The expected JSON is
/// written out as the reference documents it; bodies are compared as JSON (member order aside).
/// </summary>
public sealed class QdrantRequestTests : IDisposable
{
    private const string Durable = "?wait=true&ordering=strong";
    private const string PointA0 = "aa9db2c2-9e78-8a2a-9b34-4aaff751fa5b";
    private const string PointA1 = "7d1da8fb-76f2-895e-8be6-29229dca1fb5";
    private const string Ranking = """{"include": ["point_id", "document_id"]}""";

    private readonly QdrantTestServices _services = new();

    public void Dispose() => _services.Dispose();

    public static TheoryData<string, string, string, string> Cases => new()
    {
        {
            "create", "PUT", "/collections/docs",
            """{"vectors": {"dense": {"size": 4, "distance": "Cosine", "hnsw_config": {"m": 32, "ef_construct": 200}}}, "sparse_vectors": {"sparse": {"modifier": "idf"}}}"""
        },
        { "create", "PUT", "/collections/docs/index" + Durable, """{"field_name": "document_id", "field_schema": {"type": "keyword"}}""" },
        { "create", "PUT", "/collections/docs/index" + Durable, """{"field_name": "metadata.tenant", "field_schema": {"type": "keyword", "is_tenant": true}}""" },
        { "create sparse only", "PUT", "/collections/docs", """{"vectors": {}, "sparse_vectors": {"sparse": {"modifier": "idf"}}}""" },
        { "upsert", "POST", "/collections/docs/points/count", """{"filter": {"must": [{"key": "document_id", "match": {"value": "a"}}]}, "exact": true}""" },
        {
            "upsert", "POST", "/collections/docs/points/delete" + Durable,
            $$$"""{"filter": {"must": [{"key": "document_id", "match": {"value": "a"}}], "must_not": [{"has_id": ["{{{PointA0}}}", "{{{PointA1}}}"]}]}}"""
        },
        {
            // b = 0 and k1 = 1 saturate a count tf to 2·tf / (tf + 1): 1 → 1, 3 → 1.5.
            "upsert", "PUT", "/collections/docs/points" + Durable,
            $$$"""
            {"points": [
              {"id": "{{{PointA0}}}", "vector": {"dense": [1, 0, 0, 0], "sparse": {"indices": [7, 9], "values": [1, 1.5]}},
               "payload": {"point_id": "a#0", "document_id": "a", "content_hash": "h1", "chunk_index": 0, "text": "first", "title": "A",
                           "metadata": {"lang": "en", "year": 2020}, "lineage": {"source": "a.md", "end_char": 5}, "document_head": true, "chunk_count": 2}},
              {"id": "{{{PointA1}}}", "vector": {"dense": [0, 1, 0, 0]},
               "payload": {"point_id": "a#1", "document_id": "a", "content_hash": "h1", "chunk_index": 1, "text": "second", "title": "A",
                           "metadata": {}, "document_head": false}}]}
            """
        },
        {
            "rrf", "POST", "/collections/docs/points/query",
            $$$"""
            {"prefetch": [
               {"query": [1, 0, 0, 0], "using": "dense", "filter": {"must": [{"key": "metadata.lang", "match": {"value": "en"}}]}, "params": {"hnsw_ef": 64}, "limit": 100},
               {"query": {"indices": [7], "values": [1]}, "using": "sparse", "filter": {"must": [{"key": "metadata.lang", "match": {"value": "en"}}]}, "limit": 100}],
             "query": {"rrf": {"k": 61}},
             "limit": 10, "with_payload": {{{Ranking}}}}
            """
        },
        {
            "plain rrf", "POST", "/collections/docs/points/query",
            $$$"""
            {"prefetch": [{"query": [1, 0, 0, 0], "using": "dense", "limit": 100}, {"query": {"indices": [7], "values": [1]}, "using": "sparse", "limit": 100}],
             "query": {"rrf": {"k": 3}}, "limit": 10, "with_payload": {{{Ranking}}}}
            """
        },
        {
            // Qdrant's RRF weights scale positions, not contributions: another dense share is fused here, from both lists.
            "rrf with a dense share", "POST", "/collections/docs/points/query/batch",
            $$$"""
            {"searches": [
               {"query": [1, 0, 0, 0], "using": "dense", "limit": 100, "with_payload": {{{Ranking}}}},
               {"query": {"indices": [7], "values": [1]}, "using": "sparse", "limit": 100, "with_payload": {{{Ranking}}}}]}
            """
        },
        {
            "dense exact", "POST", "/collections/docs/points/query",
            $$$"""{"query": [1, 0, 0, 0], "using": "dense", "params": {"exact": true}, "limit": 3, "with_payload": {{{Ranking}}}}"""
        },
        {
            "sparse", "POST", "/collections/docs/points/query",
            $$$"""{"query": {"indices": [7, 9], "values": [1, 2]}, "using": "sparse", "limit": 3, "with_payload": {{{Ranking}}}}"""
        },
        {
            "weighted", "POST", "/collections/docs/points/query/batch",
            $$$"""
            {"searches": [
               {"query": [1, 0, 0, 0], "using": "dense", "limit": 100, "with_payload": {{{Ranking}}}},
               {"query": {"indices": [7], "values": [1]}, "using": "sparse", "limit": 100, "with_payload": {{{Ranking}}}}]}
            """
        },
        { "ready", "GET", "/collections/ragsuite_catalog", "null" },
        { "ready", "PUT", "/collections/ragsuite_catalog", """{"vectors": {}, "sparse_vectors": {"sparse": {}}}""" },
        {
            "catalogue", "PUT", "/collections/ragsuite_catalog/points" + Durable,
            $$$"""
            {"points": [{"id": "{{{FakeQdrant.DocsId}}}", "vector": {},
              "payload": {"name": "docs", "config": {"dense_dimension": 4, "dense_distance": "DENSE_DISTANCE_DOT", "tenant_key": "tenant"}, "created_at": "<now>", "bm25_average_length": 256}}]}
            """
        },
        { "delete document", "POST", "/collections/docs/points/delete" + Durable, """{"filter": {"must": [{"key": "document_id", "match": {"value": "a"}}]}}""" },
        { "count", "POST", "/collections/docs/points/count", """{"filter": {"must_not": [{"key": "metadata.lang", "match": {"value": "de"}}]}, "exact": true}""" },
        {
            "scroll", "POST", "/collections/docs/points/scroll",
            """{"filter": {"must": [{"key": "metadata.tag", "match": {"any": ["x", "y"]}}]}, "limit": 1000, "with_payload": {"include": ["point_id"]}, "with_vector": false}"""
        },
        { "get documents", "POST", "/collections/docs/points/scroll",
            """
            {"filter": {"must": [{"key": "document_id", "match": {"any": ["a", "b"]}}, {"key": "document_head", "match": {"value": true}}]},
             "limit": 2, "with_payload": {"include": ["document_id", "content_hash", "chunk_count"]}, "with_vector": false}
            """
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Sends_the_request_Qdrants_API_reference_documents(string action, string method, string pathAndQuery, string body)
    {
        await ActAsync(action);
        // The catalogue records when a collection was made: the time sent stands in for the placeholder.
        var sent = _services.Qdrant.To(method, pathAndQuery)
            .Select(r => r with { Body = r.Body is null ? "null" : System.Text.RegularExpressions.Regex.Replace(r.Body, "\"created_at\":\"[^\"]+\"", "\"created_at\":\"<now>\"") })
            .ToList();
        Assert.True(sent.Count > 0, $"no {method} {pathAndQuery}; sent: {string.Join(", ", _services.Qdrant.Requests.Select(r => r.Method + " " + r.PathAndQuery))}");
        var expected = JsonNode.Parse(body);
        Assert.True(sent.Any(r => JsonNode.DeepEquals(expected, JsonNode.Parse(r.Body!))),
            $"expected {expected?.ToJsonString()}\nsent {string.Join("\n", sent.Select(r => r.Body))}");
    }

    private async Task ActAsync(string action)
    {
        var store = _services.Store;
        var dense = new float[] { 1, 0, 0, 0 };
        var oneTerm = new SparseVector { Indices = { 7 }, Values = { 1 } };
        switch (action)
        {
            case "create":
                _services.Qdrant.DocsConfig = null;
                await store.CreateCollectionAsync("docs", new CollectionConfig
                {
                    DenseDimension = 4, DenseIndex = new DenseIndexParameters { M = 32, EfConstruction = 200 }, TenantKey = "tenant",
                }, default);
                break;
            case "ready":
                _services.Qdrant.Respond = r => r is { Method: "GET", Path: "/collections/ragsuite_catalog" }
                    ? FakeQdrant.Error(System.Net.HttpStatusCode.NotFound, "Not found: Collection `ragsuite_catalog` doesn't exist!") : null;
                await store.WaitUntilReadyAsync(default);
                break;
            case "catalogue":
                _services.Qdrant.DocsConfig = null;
                await store.CreateCollectionAsync("docs", new CollectionConfig { DenseDimension = 4, DenseDistance = DenseDistance.Dot, TenantKey = "tenant" }, default);
                break;
            case "create sparse only":
                _services.Qdrant.DocsConfig = null;
                await store.CreateCollectionAsync("docs", new CollectionConfig(), default);
                break;
            case "upsert":
                await store.UpsertDocumentsAsync("docs", [new DocumentWrite
                {
                    DocumentId = "a", ContentHash = "h1",
                    Points =
                    {
                        new Point
                        {
                            Id = "a#0", DocumentId = "a", Text = "first", Title = "A", Dense = { 1, 0, 0, 0 },
                            Sparse = new SparseVector { Indices = { 7, 9 }, Values = { 1, 3 } },
                            Metadata = Struct.Parser.ParseJson("""{"lang": "en", "year": 2020}"""),
                            Lineage = new Lineage { Source = "a.md", EndChar = 5 },
                        },
                        new Point { Id = "a#1", DocumentId = "a", ChunkIndex = 1, Text = "second", Title = "A", Dense = { 0, 1, 0, 0 } },
                    },
                }], default);
                break;
            case "rrf":
                await store.SearchAsync(Request(dense, oneTerm, 10, ef: 64, filter: """{"must": [{"key": "lang", "equals": "en"}]}"""),
                    new FusionSettings(FusionMode.Rrf, 0.5f, 60), default);
                break;
            case "rrf with a dense share":
                await store.SearchAsync(Request(dense, oneTerm, 10), new FusionSettings(FusionMode.Rrf, 0.3f, 60), default);
                break;
            case "plain rrf":
                await store.SearchAsync(Request(dense, oneTerm, 10), new FusionSettings(FusionMode.Rrf, 0.5f, 2), default);
                break;
            case "dense exact":
                await store.SearchAsync(Request(dense, null, 3, exact: true), new FusionSettings(FusionMode.DenseOnly, 0.3f, 60), default);
                break;
            case "sparse":
                await store.SearchAsync(Request([], new SparseVector { Indices = { 7, 9 }, Values = { 1, 2 } }, 3), new FusionSettings(FusionMode.SparseOnly, 0.3f, 60), default);
                break;
            case "weighted":
                await store.SearchAsync(Request(dense, oneTerm, 10), new FusionSettings(FusionMode.Weighted, 0.3f, 60), default);
                break;
            case "delete document":
                await store.DeleteDocumentAsync("docs", "a", default);
                break;
            case "count":
                await store.CountAsync("docs", Filter("""{"must_not": [{"key": "lang", "equals": "de"}]}"""), default);
                break;
            case "scroll":
                await store.ScrollAsync("docs", Filter("""{"must": [{"key": "tag", "any_of": ["x", "y"]}]}"""), null, 10, default);
                break;
            case "get documents":
                await store.GetDocumentsAsync("docs", ["a", "b", "a"], default);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    private static SearchRequest Request(float[] dense, SparseVector? sparse, int topK, int ef = 0, bool exact = false, string? filter = null) => new()
    {
        Collection = "docs", DenseQuery = { dense }, SparseQuery = sparse, TopK = topK, Ef = ef, Exact = exact, Filter = filter is null ? null : Filter(filter),
    };

    internal static Filter Filter(string json) => JsonParser.Default.Parse<Filter>(json);
}
