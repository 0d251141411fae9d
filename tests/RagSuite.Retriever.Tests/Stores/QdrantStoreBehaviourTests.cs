using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Storage;
using RagSuite.Retrieval.Stores;
using RagSuite.Retrieval.Stores.Qdrant;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>What the Qdrant store makes of Qdrant's answers, its point ids and BM25 weights, its options and its registration.</summary>
public sealed class QdrantStoreBehaviourTests : IDisposable
{
    private const string PointA0 = "aa9db2c2-9e78-8a2a-9b34-4aaff751fa5b";
    private const string PointA1 = "7d1da8fb-76f2-895e-8be6-29229dca1fb5";
    private const string PointB0 = "f0a95423-be8b-8fa8-9c09-13990ce2d582";

    private readonly QdrantTestServices _services = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Point_ids_map_to_stable_version_8_uuids()
    {
        Assert.Equal(Guid.Parse(PointA0), QdrantPointIds.For("a#0"));
        Assert.Equal(QdrantPointIds.For("a#0"), QdrantPointIds.For("a#0"));
        Assert.NotEqual(QdrantPointIds.For("a#0"), QdrantPointIds.For("a#1"));
        Assert.Equal(8, QdrantPointIds.For("é").Version);
    }

    [Fact]
    public void Sparse_counts_are_saturated_as_bm25_term_frequencies()
    {
        // k1 = 1.2, b = 0.75, len = 4, avglen = 8: norm = 1.2 (0.25 + 0.375) = 0.75; tf 1 → 2.2 / 1.75, tf 3 → 6.6 / 3.75.
        var saturated = Bm25Saturation.Apply(new SparseVector { Indices = { 4, 2 }, Values = { 1, 3 } }, 1.2f, 0.75f, 8);
        Assert.Equal([4u, 2u], saturated.Indices);
        Assert.Equal(2.2f / 1.75f, saturated.Values[0], 5);
        Assert.Equal(6.6f / 3.75f, saturated.Values[1], 5);
    }

    [Fact]
    public async Task Hybrid_hits_carry_payload_and_both_scores_in_score_then_point_id_order()
    {
        _services.Qdrant.Respond = r => r.Path switch
        {
            "/collections/docs/points/query" => FakeQdrant.Ok($$$"""
                {"points": [
                  {"id": "{{{PointB0}}}", "score": 0.5, "payload": {"point_id": "b#0", "document_id": "b"}},
                  {"id": "{{{PointA1}}}", "score": 0.5, "payload": {"point_id": "a#1", "document_id": "a"}},
                  {"id": "{{{PointA0}}}", "score": 0.9, "payload": {"point_id": "a#0", "document_id": "a"}}]}
                """),
            "/collections/docs/points/query/batch" => FakeQdrant.Ok($$$"""
                [{"points": [{"id": "{{{PointA0}}}", "score": 0.8}, {"id": "{{{PointA1}}}", "score": 0.1}]},
                 {"points": [{"id": "{{{PointA0}}}", "score": 2.5}, {"id": "{{{PointB0}}}", "score": 1.5}]}]
                """),
            "/collections/docs/points" => FakeQdrant.Ok($$$"""
                [{"id": "{{{PointA1}}}", "payload": {"point_id": "a#1", "document_id": "a", "chunk_index": 1, "text": "two", "title": "A", "metadata": {} } },
                 {"id": "{{{PointA0}}}", "payload": {"point_id": "a#0", "document_id": "a", "chunk_index": 0, "text": "one", "title": "A",
                   "metadata": {"lang": "en", "tags": ["x"]}, "lineage": {"source": "a.md", "start_char": 0, "end_char": 3} } },
                 {"id": "{{{PointB0}}}", "payload": {"point_id": "b#0", "document_id": "b", "text": "three", "metadata": {} } }]
                """),
            _ => null,
        };
        var request = new SearchRequest
        {
            Collection = "docs", DenseQuery = { 1, 0, 0, 0 }, SparseQuery = new SparseVector { Indices = { 7 }, Values = { 1 } }, TopK = 3,
        };
        var response = await _services.Store.SearchAsync(request, new FusionSettings(FusionMode.Rrf, 0.5f, 60), default);

        Assert.Equal(FusionMode.Rrf, response.Fusion);
        Assert.Equal(60, response.RrfK);
        Assert.Equal(["a#0", "a#1", "b#0"], response.Hits.Select(h => h.Point.Id));
        var best = response.Hits[0];
        Assert.Equal((0.9f, 0.8f, 2.5f), (best.Score, best.DenseScore, best.SparseScore));
        Assert.Equal("one", best.Point.Text);
        Assert.Equal("en", best.Point.Metadata.Fields["lang"].StringValue);
        Assert.Equal("a.md", best.Point.Lineage.Source);
        Assert.Empty(best.Point.Dense);
        Assert.Null(best.Point.Sparse);
        Assert.False(response.Hits[1].HasSparseScore); // no query term in common
        Assert.False(response.Hits[2].HasDenseScore);

        request.GroupByDocument = true;
        var grouped = await _services.Store.SearchAsync(request, new FusionSettings(FusionMode.Rrf, 0.5f, 60), default);
        Assert.Equal(["a#0", "b#0"], grouped.Hits.Select(h => h.Point.Id));
    }

    [Fact]
    public async Task Weighted_fusion_min_max_normalises_both_lists_in_process()
    {
        _services.Qdrant.Respond = r => r.Path switch
        {
            "/collections/docs/points/query/batch" when r.Body!.Contains("include", StringComparison.Ordinal) => FakeQdrant.Ok($$$"""
                [{"points": [{"id": "{{{PointA0}}}", "score": 0.9, "payload": {"point_id": "a#0", "document_id": "a"}},
                             {"id": "{{{PointB0}}}", "score": 0.1, "payload": {"point_id": "b#0", "document_id": "b"}}]},
                 {"points": [{"id": "{{{PointB0}}}", "score": 7, "payload": {"point_id": "b#0", "document_id": "b"}},
                             {"id": "{{{PointA0}}}", "score": 3, "payload": {"point_id": "a#0", "document_id": "a"}}]}]
                """),
            "/collections/docs/points" => FakeQdrant.Ok($$$"""
                [{"id": "{{{PointA0}}}", "payload": {"point_id": "a#0", "document_id": "a"}}, {"id": "{{{PointB0}}}", "payload": {"point_id": "b#0", "document_id": "b"}}]
                """),
            _ => null,
        };
        var request = new SearchRequest { Collection = "docs", DenseQuery = { 1, 0, 0, 0 }, SparseQuery = new SparseVector { Indices = { 7 }, Values = { 1 } }, TopK = 2 };
        var response = await _services.Store.SearchAsync(request, new FusionSettings(FusionMode.Weighted, 0.3f, 60), default);
        // a: 0.3 · 1 + 0.7 · 0 = 0.3; b: 0.3 · 0 + 0.7 · 1 = 0.7.
        Assert.Equal(["b#0", "a#0"], response.Hits.Select(h => h.Point.Id));
        Assert.Equal(0.7f, response.Hits[0].Score, 5);
        Assert.Equal(0.3f, response.Hits[1].Score, 5);
    }

    [Fact]
    public async Task Rrf_with_a_dense_share_adds_each_lists_share_over_k_plus_rank_in_process()
    {
        _services.Qdrant.Respond = r => r.Path switch
        {
            "/collections/docs/points/query/batch" when r.Body!.Contains("include", StringComparison.Ordinal) => FakeQdrant.Ok($$$"""
                [{"points": [{"id": "{{{PointA0}}}", "score": 0.9, "payload": {"point_id": "a#0", "document_id": "a"}},
                             {"id": "{{{PointB0}}}", "score": 0.1, "payload": {"point_id": "b#0", "document_id": "b"}}]},
                 {"points": [{"id": "{{{PointB0}}}", "score": 7, "payload": {"point_id": "b#0", "document_id": "b"}}]}]
                """),
            "/collections/docs/points" => FakeQdrant.Ok($$$"""
                [{"id": "{{{PointA0}}}", "payload": {"point_id": "a#0", "document_id": "a"}}, {"id": "{{{PointB0}}}", "payload": {"point_id": "b#0", "document_id": "b"}}]
                """),
            _ => null,
        };
        var request = new SearchRequest { Collection = "docs", DenseQuery = { 1, 0, 0, 0 }, SparseQuery = new SparseVector { Indices = { 7 }, Values = { 1 } }, TopK = 2 };
        var response = await _services.Store.SearchAsync(request, new FusionSettings(FusionMode.Rrf, 0.3f, 10), default);
        // b: 0.6 / (10 + 2) + 1.4 / (10 + 1); a: 0.6 / (10 + 1).
        Assert.Equal(["b#0", "a#0"], response.Hits.Select(h => h.Point.Id));
        Assert.Equal(0.6f / 12 + 1.4f / 11, response.Hits[0].Score, 5);
        Assert.Equal(0.6f / 11, response.Hits[1].Score, 5);
        Assert.Equal((0.3f, 10), (response.DenseWeight, response.RrfK));
    }

    [Fact]
    public async Task Scroll_follows_Qdrants_page_offsets_and_pages_in_point_id_order()
    {
        _services.Qdrant.Respond = r => r.Path switch
        {
            "/collections/docs/points/scroll" when !r.Body!.Contains("offset", StringComparison.Ordinal) => FakeQdrant.Ok($$$"""
                {"points": [{"id": "{{{PointB0}}}", "payload": {"point_id": "b#0"}}], "next_page_offset": "{{{PointA1}}}"}
                """),
            "/collections/docs/points/scroll" => FakeQdrant.Ok($$$"""
                {"points": [{"id": "{{{PointA1}}}", "payload": {"point_id": "a#1"}}, {"id": "{{{PointA0}}}", "payload": {"point_id": "a#0"}}], "next_page_offset": null}
                """),
            "/collections/docs/points" => FakeQdrant.Ok($$$"""
                [{"id": "{{{PointA1}}}", "payload": {"point_id": "a#1", "document_id": "a"}}, {"id": "{{{PointB0}}}", "payload": {"point_id": "b#0", "document_id": "b"}}]
                """),
            _ => null,
        };
        var page = await _services.Store.ScrollAsync("docs", null, "a#0", 2, default);
        Assert.Equal(["a#1", "b#0"], page.Points.Select(p => p.Id));
        Assert.Null(page.Next);
        var second = _services.Qdrant.To("POST", "/collections/docs/points/scroll").ElementAt(1);
        Assert.Equal(PointA1, JsonNode.Parse(second.Body!)!["offset"]!.GetValue<string>());
        Assert.Equal(2, _services.Qdrant.To("POST", "/collections/docs/points").Count() + 1); // one read of the page's points
    }

    [Fact]
    public async Task Deleting_points_renews_their_documents_head_without_a_content_hash()
    {
        _services.Qdrant.Respond = r => r.Path switch
        {
            "/collections/docs/points" => FakeQdrant.Ok($$$"""[{"id": "{{{PointA0}}}", "payload": {"point_id": "a#0", "document_id": "a"}}]"""),
            "/collections/docs/points/scroll" => FakeQdrant.Ok($$$"""{"points": [{"id": "{{{PointA1}}}"}], "next_page_offset": null}"""),
            _ => null,
        };
        Assert.Equal(1, await _services.Store.DeletePointsAsync("docs", ["a#0", "zz"], default));
        Assert.Contains(_services.Qdrant.To("POST", "/collections/docs/points/delete?wait=true&ordering=strong"),
            r => JsonNode.DeepEquals(JsonNode.Parse($$$"""{"points": ["{{{PointA0}}}"]}"""), JsonNode.Parse(r.Body!)));
        var updates = _services.Qdrant.To("POST", "/collections/docs/points/payload?wait=true&ordering=strong").Select(r => JsonNode.Parse(r.Body!)).ToList();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"payload": {"content_hash": "", "document_head": false}, "filter": {"must": [{"key": "document_id", "match": {"value": "a"}}]}}
            """), updates[0]), updates[0]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"payload": {"document_head": true, "chunk_count": 3}, "points": ["{{{PointA1}}}"]}"""), updates[1]),
            updates[1]!.ToJsonString());
    }

    [Fact]
    public async Task Collections_are_described_from_the_catalogue_and_counted_by_Qdrant()
    {
        var collection = await _services.Store.GetCollectionAsync("docs", default);
        Assert.Equal(("docs", 4, 1f), (collection.Name, collection.Config.DenseDimension, collection.Config.Bm25.K1));
        Assert.Equal((3L, 3L), (collection.DocumentCount, collection.PointCount));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), collection.CreatedAt.ToDateTime());
    }

    [Theory]
    [InlineData("Url", "http://user:pass@qdrant:6333", "must not carry credentials")]
    [InlineData("Url", "qdrant:6333", "absolute http or https URL")]
    [InlineData("ApiKeyFile", "/nonexistent/qdrant.key", "ApiKeyFile names a file that does not exist")]
    [InlineData("Timeout", "00:00:00", "Timeout")]
    public void Invalid_options_stop_start_up_naming_the_setting(string key, string value, string message)
    {
        using var services = new QdrantTestServices(new() { [$"RagSuite:Qdrant:{key}"] = value });
        var error = Assert.Throws<OptionsValidationException>(() => services.Provider.GetRequiredService<IOptions<QdrantOptions>>().Value);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pass", error.Message.Replace("password", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_retriever_runs_on_Qdrant_when_its_store_is_qdrant()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RagSuite:Retriever:Store"] = "qdrant" }).Build();
        using var provider = new ServiceCollection().AddLogging().AddInProcessRetriever(configuration).BuildServiceProvider();
        Assert.Equal("qdrant", provider.GetRequiredService<IVectorStore>().Kind);
        Assert.Equal("qdrant", provider.GetRequiredService<IOptions<RetrieverOptions>>().Value.Store);
    }

    [Fact]
    public void The_retriever_runs_on_the_embedded_store_by_default()
    {
        var services = new ServiceCollection().AddLogging().AddInProcessRetriever(new ConfigurationBuilder().Build());
        Assert.Contains(services, d => d.ServiceType == typeof(EmbeddedVectorStore));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(QdrantVectorStore));
    }

    [Fact]
    public void An_unknown_store_is_refused_naming_every_store()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RagSuite:Retriever:Store"] = "mongo" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddInProcessRetriever(configuration));
        Assert.Contains("RagSuite:Retriever:Store is 'mongo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("qdrant", error.Message, StringComparison.Ordinal);
    }
}
