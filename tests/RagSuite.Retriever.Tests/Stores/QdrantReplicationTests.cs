using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Stores.Qdrant;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>
/// How collections are distributed over a Qdrant cluster: shard_number, replication_factor and write_consistency_factor of
/// Qdrant's create-collection body, sent as configured (for the catalogue too, bar its shard count), left to the server's
/// defaults when unset, and refused at start-up when they could never be met.
/// </summary>
public sealed class QdrantReplicationTests
{
    private static readonly Dictionary<string, string?> Replicated = new()
    {
        ["RagSuite:Qdrant:ShardNumber"] = "6",
        ["RagSuite:Qdrant:ReplicationFactor"] = "2",
        ["RagSuite:Qdrant:WriteConsistencyFactor"] = "1",
    };

    [Fact]
    public async Task A_collection_is_created_with_the_configured_shards_replicas_and_write_consistency()
    {
        using var services = new QdrantTestServices(Replicated);
        services.Qdrant.DocsConfig = null;

        await services.Store.CreateCollectionAsync("docs", new CollectionConfig { DenseDimension = 4 }, default);

        AssertSent(services, "/collections/docs", """
            {"vectors": {"dense": {"size": 4, "distance": "Cosine"}}, "sparse_vectors": {"sparse": {"modifier": "idf"}},
             "shard_number": 6, "replication_factor": 2, "write_consistency_factor": 1}
            """);
    }

    [Fact]
    public async Task The_catalogue_is_replicated_as_the_data_is_but_keeps_the_default_shard_count()
    {
        using var services = new QdrantTestServices(Replicated);
        services.Qdrant.Respond = r => r is { Method: "GET", Path: "/collections/ragsuite_catalog" }
            ? FakeQdrant.Error(System.Net.HttpStatusCode.NotFound, "Not found: Collection `ragsuite_catalog` doesn't exist!") : null;

        await services.Store.WaitUntilReadyAsync(default);

        AssertSent(services, "/collections/ragsuite_catalog",
            """{"vectors": {}, "sparse_vectors": {"sparse": {}}, "replication_factor": 2, "write_consistency_factor": 1}""");
    }

    [Fact]
    public async Task Unset_distribution_leaves_Qdrants_own_defaults_out_of_the_body()
    {
        using var services = new QdrantTestServices();
        services.Qdrant.DocsConfig = null;

        await services.Store.CreateCollectionAsync("docs", new CollectionConfig(), default);

        var body = JsonNode.Parse(Assert.Single(services.Qdrant.To("PUT", "/collections/docs")).Body!)!.AsObject();
        Assert.DoesNotContain("shard_number", body.Select(p => p.Key));
        Assert.DoesNotContain("replication_factor", body.Select(p => p.Key));
        Assert.DoesNotContain("write_consistency_factor", body.Select(p => p.Key));
    }

    [Theory]
    [InlineData("2", "3", "WriteConsistencyFactor (3) must not exceed RagSuite:Qdrant:ReplicationFactor (2)")]
    [InlineData(null, "2", "WriteConsistencyFactor (2) must not exceed RagSuite:Qdrant:ReplicationFactor (unset, so 1)")]
    [InlineData("0", null, "ReplicationFactor")]
    [InlineData("65", null, "ReplicationFactor")]
    [InlineData("2", "0", "WriteConsistencyFactor")]
    public void Replication_that_could_never_be_met_stops_start_up(string? replication, string? writeConsistency, string message)
    {
        using var services = new QdrantTestServices(new()
        {
            ["RagSuite:Qdrant:ReplicationFactor"] = replication,
            ["RagSuite:Qdrant:WriteConsistencyFactor"] = writeConsistency,
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.Provider.GetRequiredService<IOptions<QdrantOptions>>().Value);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    public void A_shard_count_outside_1_to_1024_stops_start_up(string shards)
    {
        using var services = new QdrantTestServices(new() { ["RagSuite:Qdrant:ShardNumber"] = shards });

        var error = Assert.Throws<OptionsValidationException>(() => services.Provider.GetRequiredService<IOptions<QdrantOptions>>().Value);
        Assert.Contains("ShardNumber", error.Message, StringComparison.Ordinal);
    }

    private static void AssertSent(QdrantTestServices services, string path, string expected)
    {
        var sent = services.Qdrant.To("PUT", path).Select(r => JsonNode.Parse(r.Body!)).ToList();
        Assert.True(sent.Any(body => JsonNode.DeepEquals(JsonNode.Parse(expected), body)),
            $"expected {JsonNode.Parse(expected)?.ToJsonString()}\nsent {string.Join("\n", sent.Select(b => b?.ToJsonString()))}");
    }
}
