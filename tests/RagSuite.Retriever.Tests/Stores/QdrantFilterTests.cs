using System.Text.Json;
using System.Text.Json.Nodes;
using RagSuite.Retrieval.Stores.Qdrant;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>Our filters (in their protobuf JSON form) against the Qdrant filters they must become, written as Qdrant's reference writes them.</summary>
public sealed class QdrantFilterTests
{
    [Theory]
    [InlineData("""{"must": [{"key": "lang", "equals": "en"}]}""", """{"must": [{"key": "metadata.lang", "match": {"value": "en"}}]}""")]
    [InlineData("""{"must": [{"key": "draft", "equals": false}]}""", """{"must": [{"key": "metadata.draft", "match": {"value": false}}]}""")]
    // Qdrant's match value takes no fractions: a number is the closed range [x, x].
    [InlineData("""{"must": [{"key": "score", "equals": 0.5}]}""", """{"must": [{"key": "metadata.score", "range": {"gte": 0.5, "lte": 0.5}}]}""")]
    [InlineData("""{"must": [{"key": "tag", "any_of": ["a", "b"]}]}""", """{"must": [{"key": "metadata.tag", "match": {"any": ["a", "b"]}}]}""")]
    [InlineData("""{"must": [{"key": "n", "any_of": [1, 2]}]}""",
        """{"must": [{"should": [{"key": "metadata.n", "range": {"gte": 1, "lte": 1}}, {"key": "metadata.n", "range": {"gte": 2, "lte": 2}}]}]}""")]
    [InlineData("""{"must": [{"key": "tag", "any_of": []}]}""", """{"must": [{"has_id": []}]}""")]
    [InlineData("""{"must": [{"key": "year", "range": {"gte": 2020, "lt": 2025}}]}""", """{"must": [{"key": "metadata.year", "range": {"gte": 2020, "lt": 2025}}]}""")]
    [InlineData("""{"must": [{"key": "year", "range": {"gt": 1, "lte": 9}}]}""", """{"must": [{"key": "metadata.year", "range": {"gt": 1, "lte": 9}}]}""")]
    [InlineData("""{"must_not": [{"key": "lang", "equals": "de"}]}""", """{"must_not": [{"key": "metadata.lang", "match": {"value": "de"}}]}""")]
    [InlineData("""{"should": [{"key": "lang", "equals": "en"}, {"key": "lang", "equals": "fr"}]}""",
        """{"should": [{"key": "metadata.lang", "match": {"value": "en"}}, {"key": "metadata.lang", "match": {"value": "fr"}}]}""")]
    [InlineData("""{"must": [{"key": "document_id", "any_of": ["a", "b"]}]}""", """{"must": [{"key": "document_id", "match": {"any": ["a", "b"]}}]}""")]
    [InlineData("""{"must_not": [{"key": "document_id", "equals": "a"}]}""", """{"must_not": [{"key": "document_id", "match": {"value": "a"}}]}""")]
    [InlineData(
        """{"must": [{"key": "tenant", "equals": "t1"}, {"filter": {"should": [{"key": "lang", "equals": "en"}], "must_not": [{"key": "draft", "equals": true}]}}]}""",
        """{"must": [{"key": "metadata.tenant", "match": {"value": "t1"}}, {"must": [], "should": [{"key": "metadata.lang", "match": {"value": "en"}}], "must_not": [{"key": "metadata.draft", "match": {"value": true}}]}]}""")]
    [InlineData("""{"must": [{"filter": {}}]}""", """{"must": [{"must": []}]}""")]
    public void Translates_to_Qdrants_filter(string ours, string qdrant)
    {
        var translated = JsonSerializer.SerializeToNode(QdrantFilter.From(QdrantRequestTests.Filter(ours)), QdrantJsonContext.Default.QdrantFilterBody);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(qdrant), translated), translated!.ToJsonString());
    }

    [Fact]
    public void An_empty_filter_sends_none() => Assert.Null(QdrantFilter.From(QdrantRequestTests.Filter("{}")));
}
