using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>A request the snapshot script sent: the node (the loopback address it reached), method, decoded path, api-key.</summary>
internal sealed record SnapshotRequest(string Node, string Method, string Path, string? ApiKey);

/// <summary>
/// Qdrant's REST API as the snapshot script uses it, for a cluster whose nodes are loopback addresses (127.0.0.1,
/// 127.0.0.2, ...) on one port: GET /cluster lists them with their p2p URIs, GET /collections, and per node and
/// collection POST/GET/DELETE of snapshots, answered in Qdrant's compact JSON. Each node starts with three old
/// snapshots of every collection. <see cref="Fail"/> makes chosen requests answer an error.
/// </summary>
internal sealed class FakeQdrantCluster : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<(string Node, string Collection), List<(string Name, string Created)>> _snapshots = new();
    private readonly string[] _collections;
    private readonly bool _clustered;
    private readonly Task _serving;

    public FakeQdrantCluster(int nodes, bool clustered, params string[] collections)
    {
        Nodes = [.. Enumerable.Range(1, nodes).Select(i => $"127.0.0.{i}")];
        _collections = collections;
        _clustered = clustered;
        Port = FreePorts.Next();
        _listener.Prefixes.Add($"http://+:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public IReadOnlyList<string> Nodes { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<SnapshotRequest> Requests { get; } = new();

    /// <summary>Which requests answer with an error status instead (null: none).</summary>
    public Func<SnapshotRequest, HttpStatusCode?> Fail { get; set; } = _ => null;

    /// <summary>The snapshots a node holds of a collection, oldest first.</summary>
    public IReadOnlyList<string> SnapshotsOf(string node, string collection) => [.. Snapshots(node, collection).Select(s => s.Name)];

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync: that is how serving ends.
        }
    }

    private List<(string Name, string Created)> Snapshots(string node, string collection) =>
        _snapshots.GetOrAdd((node, collection), _ => [.. Enumerable.Range(1, 3).Select(i => ($"{collection}-old{i}.snapshot", $"2025-01-0{i}T00:00:00"))]);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            var request = new SnapshotRequest(context.Request.LocalEndPoint.Address.ToString(), context.Request.HttpMethod, "/" + string.Join('/', segments),
                context.Request.Headers["api-key"]);
            Requests.Enqueue(request);
            var (status, result) = Fail(request) is { } failure ? (failure, (object?)null) : Answer(request.Node, request.Method, segments);
            var body = status == HttpStatusCode.OK
                ? JsonSerializer.Serialize(new { result, status = "ok", time = 0.001 })
                : JsonSerializer.Serialize(new { status = new { error = $"{(int)status} for {request.Method} {request.Path}" }, time = 0.001 });
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (HttpStatusCode, object?) Answer(string node, string method, string[] segments)
    {
        switch (method, segments)
        {
            case ("GET", ["cluster"]):
                return (HttpStatusCode.OK, _clustered
                    ? new Dictionary<string, object>
                    {
                        ["status"] = "enabled",
                        ["peer_id"] = 1,
                        ["peers"] = Nodes.Select((n, i) => (n, i)).ToDictionary(p => (p.i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), p => new { uri = $"http://{p.n}:6335/" }),
                        ["raft_info"] = new { term = 1, commit = 1, pending_operations = 0, leader = 1, role = "Leader", is_voter = true },
                    }
                    : new Dictionary<string, object> { ["status"] = "disabled" });
            case ("GET", ["collections"]):
                return (HttpStatusCode.OK, new { collections = _collections.Select(c => new { name = c }) });
            case (_, ["collections", var collection, "snapshots", ..]) when _collections.Contains(collection):
                var snapshots = Snapshots(node, collection);
                lock (snapshots)
                {
                    switch (method, segments.Length)
                    {
                        case ("POST", 3):
                            var made = ($"{collection}-new-{snapshots.Count}.snapshot", $"2026-0{snapshots.Count % 9 + 1}-01T00:00:00");
                            snapshots.Add(made);
                            return (HttpStatusCode.OK, Describe(made));
                        case ("GET", 3):
                            return (HttpStatusCode.OK, snapshots.Select(Describe).ToList());
                        case ("DELETE", 4):
                            return snapshots.RemoveAll(s => s.Name == segments[3]) == 1 ? (HttpStatusCode.OK, true) : (HttpStatusCode.NotFound, null);
                    }
                }
                break;
        }
        return (HttpStatusCode.NotFound, null);
    }

    private static object Describe((string Name, string Created) snapshot) =>
        new { name = snapshot.Name, creation_time = snapshot.Created, size = 1024, checksum = "0f" };
}
