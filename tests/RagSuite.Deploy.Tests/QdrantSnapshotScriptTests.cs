using System.Net;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// charts/ragsuite/files/qdrant-snapshot.sh, the qdrant-snapshot CronJob's script, run with sh and curl against a fake
/// Qdrant cluster: a snapshot of every collection on every node, the newest KEEP kept, the key sent from its file, and a
/// non-zero exit on any HTTP error, after the other nodes and collections were still backed up.
/// </summary>
public sealed class QdrantSnapshotScriptTests : IDisposable
{
    private const string Key = "qdrant-key-with-\"quote\"-and-\\";

    private static readonly string Script = Path.Combine(ChartRenderer.Chart, "files", "qdrant-snapshot.sh");

    private readonly TemporaryDirectory _directory = new("ragsuite-snapshot");

    public void Dispose() => _directory.Dispose();

    [SnapshotScriptFact]
    public async Task Every_collection_is_snapshotted_on_every_node_and_only_the_newest_are_kept()
    {
        using var qdrant = new FakeQdrantCluster(nodes: 3, clustered: true, "docs", "ragsuite_catalog", "odd name");

        var (code, output, error) = await RunAsync(qdrant.Url, keep: 2);

        Assert.True(code == 0, output + error);
        foreach (var node in qdrant.Nodes)
        {
            foreach (var collection in new[] { "docs", "ragsuite_catalog", "odd name" })
            {
                Assert.Single(qdrant.Requests, r => (r.Node, r.Method, r.Path) == (node, "POST", $"/collections/{collection}/snapshots"));
                // The new one and the newest old one survive; the two oldest are gone.
                Assert.Equal([$"{collection}-old3.snapshot", $"{collection}-new-3.snapshot"], qdrant.SnapshotsOf(node, collection));
            }
        }
        Assert.All(qdrant.Requests, r => Assert.Equal(Key, r.ApiKey));
        Assert.DoesNotContain(Key, output + error, StringComparison.Ordinal);
        Assert.Contains("all snapshots taken", output, StringComparison.Ordinal);
    }

    [SnapshotScriptFact]
    public async Task A_single_node_is_snapshotted_at_the_url_itself()
    {
        using var qdrant = new FakeQdrantCluster(nodes: 1, clustered: false, "docs");

        var (code, output, error) = await RunAsync(qdrant.Url, keep: 1);

        Assert.True(code == 0, output + error);
        Assert.Equal(["docs-new-3.snapshot"], qdrant.SnapshotsOf("127.0.0.1", "docs"));
    }

    [SnapshotScriptFact]
    public async Task Listed_peers_are_used_instead_of_the_cluster_view()
    {
        using var qdrant = new FakeQdrantCluster(nodes: 3, clustered: true, "docs");

        var (code, output, error) = await RunAsync(qdrant.Url, keep: 5, peers: $"http://127.0.0.2:{qdrant.Port} http://127.0.0.3:{qdrant.Port}/");

        Assert.True(code == 0, output + error);
        Assert.DoesNotContain(qdrant.Requests, r => r.Path == "/cluster");
        Assert.Equal(["127.0.0.2", "127.0.0.3"], qdrant.Requests.Where(r => r.Method == "POST").Select(r => r.Node).Order());
        Assert.DoesNotContain(qdrant.Requests, r => r.Method == "DELETE");
    }

    public static TheoryData<string, string, HttpStatusCode, bool> Failures => new()
    {
        // What fails, on which node (or any), how, and whether the other nodes were still backed up.
        { "GET", "/cluster", HttpStatusCode.ServiceUnavailable, false },
        { "GET", "/collections", HttpStatusCode.Unauthorized, false },
        { "POST", "/collections/docs/snapshots", HttpStatusCode.InternalServerError, true },
        { "GET", "/collections/docs/snapshots", HttpStatusCode.BadGateway, true },
        { "DELETE", "/collections/docs/snapshots/docs-old1.snapshot", HttpStatusCode.InternalServerError, true },
    };

    [SnapshotScriptTheory]
    [MemberData(nameof(Failures))]
    public async Task Any_HTTP_error_fails_the_run_after_the_other_nodes_are_done(string method, string path, HttpStatusCode status, bool othersDone)
    {
        using var qdrant = new FakeQdrantCluster(nodes: 2, clustered: true, "docs", "more");
        qdrant.Fail = r => r.Method == method && r.Path == path && (r.Node == "127.0.0.1" || path is "/cluster" or "/collections") ? status : null;

        var (code, output, error) = await RunAsync(qdrant.Url, keep: 1);

        Assert.NotEqual(0, code);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
        Assert.Contains("FAILED", error, StringComparison.Ordinal);
        Assert.DoesNotContain("all snapshots taken", output, StringComparison.Ordinal);
        Assert.Equal(othersDone, qdrant.SnapshotsOf("127.0.0.2", "docs").SequenceEqual(["docs-new-3.snapshot"]));
        Assert.Equal(othersDone, qdrant.SnapshotsOf("127.0.0.1", "more").SequenceEqual(["more-new-3.snapshot"]));
    }

    [SnapshotScriptTheory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("two")]
    public async Task A_keep_below_one_is_refused_before_anything_is_deleted(string keep)
    {
        using var qdrant = new FakeQdrantCluster(nodes: 1, clustered: false, "docs");

        var (code, _, error) = await RunAsync(qdrant.Url, keep);

        Assert.NotEqual(0, code);
        Assert.Contains("KEEP must be a whole number of at least 1", error, StringComparison.Ordinal);
        Assert.Empty(qdrant.Requests);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(string url, int keep, string peers = "") =>
        RunAsync(url, keep.ToString(System.Globalization.CultureInfo.InvariantCulture), peers);

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string url, string keep, string peers = "")
    {
        var keyFile = Path.Combine(_directory.Path, "api-key");
        await File.WriteAllTextAsync(keyFile, Key + "\n");
        return await ToolRun.RunAsync("sh", _directory.Path, [Script], new Dictionary<string, string>
        {
            ["QDRANT_URL"] = url + "/",
            ["KEEP"] = keep,
            ["QDRANT_PEERS"] = peers,
            ["QDRANT_API_KEY_FILE"] = keyFile,
            ["REQUEST_TIMEOUT"] = "20",
            ["TMPDIR"] = _directory.Path,
        });
    }
}

/// <summary>Skips, saying how to get them, where sh or curl is missing (the CronJob's image has both).</summary>
public sealed class SnapshotScriptFactAttribute : FactAttribute
{
    public SnapshotScriptFactAttribute() => Skip = SnapshotScriptTools.Missing();
}

/// <inheritdoc cref="SnapshotScriptFactAttribute"/>
public sealed class SnapshotScriptTheoryAttribute : TheoryAttribute
{
    public SnapshotScriptTheoryAttribute() => Skip = SnapshotScriptTools.Missing();
}

internal static class SnapshotScriptTools
{
    public static string? Missing() =>
        ToolRun.OnPath("sh") && ToolRun.OnPath("curl") ? null : "sh or curl is missing: apt-get install curl (the snapshot CronJob's image, curlimages/curl, has both).";
}
