using System.Collections.Concurrent;
using System.Net;
using System.Text;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// charts/ragsuite/files/smoke-test.sh, the script of the smoke-test Job and the helm test pod, run with sh and curl
/// against a stand-in gateway on loopback: it passes only when every step answers as the gateway does, names the
/// step that did not, sends the admin key from its file, and never leaves its collection behind.
/// </summary>
public sealed class SmokeTestScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "charts", "ragsuite", "files", "smoke-test.sh");

    private readonly TemporaryDirectory _work = new("ragsuite-smoke-script");

    [ShAndCurlTheory]
    [InlineData(true, true, null, null, 0, "all checks passed")]
    [InlineData(true, false, null, null, 1, "FAIL: the query did not return the ingested document")]
    [InlineData(false, true, null, null, 1, "FAIL: GET /readyz did not answer 200 within 0s")]
    [InlineData(true, true, "admin-key", "admin-key", 0, "all checks passed")]
    [InlineData(true, true, "admin-key", null, 1, "FAIL: POST /v1/collections: HTTP 401, expected 201")]
    [InlineData(true, true, "admin-key", "another-key", 1, "FAIL: POST /v1/collections: HTTP 401, expected 201")]
    public async Task The_script_passes_only_against_a_gateway_that_answers_every_step(
        bool ready, bool findsDocument, string? requiredKey, string? keyInFile, int exitCode, string expected)
    {
        using var gateway = new StandInGateway(ready, findsDocument, requiredKey);
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY"] = gateway.Url,
            ["READY_TIMEOUT"] = "0",
            ["TMPDIR"] = _work.Path,
            ["HOSTNAME"] = "ragsuite-smoke-test-x7k2p",
        };
        if (keyInFile is not null)
        {
            environment["API_KEY_FILE"] = Path.Combine(_work.Path, "api-key");
            await File.WriteAllTextAsync(environment["API_KEY_FILE"], keyInFile + "\n");
        }

        var (code, output, error) = await ToolRun.RunAsync("sh", _work.Path, [Script], environment);

        Assert.True(code == exitCode, $"exit {code}, expected {exitCode}:\n{output}{error}");
        Assert.Contains(expected, output, StringComparison.Ordinal);
        // Whatever failed after the collection was made, it is gone again.
        Assert.Equal(gateway.Created.Order(StringComparer.Ordinal), gateway.Deleted.Distinct().Order(StringComparer.Ordinal));
        Assert.All(gateway.Created, c => Assert.StartsWith("smoke-", c, StringComparison.Ordinal));
        Assert.All(gateway.Created, c => Assert.Matches("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", c));
    }

    public void Dispose() => _work.Dispose();

    /// <summary>The gateway's REST API as far as the smoke test uses it, with the answers the real one gives.</summary>
    private sealed class StandInGateway : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly bool _ready;
        private readonly bool _findsDocument;
        private readonly string? _requiredKey;
        private readonly Task _serving;

        public StandInGateway(bool ready, bool findsDocument, string? requiredKey)
        {
            (_ready, _findsDocument, _requiredKey) = (ready, findsDocument, requiredKey);
            Url = $"http://127.0.0.1:{FreePorts.Next()}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public ConcurrentQueue<string> Created { get; } = new();

        public ConcurrentQueue<string> Deleted { get; } = new();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                var (status, body) = await AnswerAsync(context.Request);
                context.Response.StatusCode = status;
                var bytes = Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        private async Task<(int Status, string Body)> AnswerAsync(HttpListenerRequest request)
        {
            var path = request.Url!.AbsolutePath;
            var body = await new StreamReader(request.InputStream).ReadToEndAsync();
            if (path == "/readyz") return _ready ? (200, "{\"status\":\"Healthy\"}") : (503, "{\"status\":\"Unhealthy\"}");
            if (_requiredKey is not null && request.Headers["Authorization"] != $"Bearer {_requiredKey}") return (401, "{\"title\":\"Unauthorized\"}");
            switch (request.HttpMethod, path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                case ("POST", ["v1", "collections"]):
                    var name = body.Split('"')[3];
                    Created.Enqueue(name);
                    return (201, body);
                case ("POST", ["v1", "collections", _, "documents"]):
                    return (200, "{\"created\": 1, \"updated\": 0}");
                case ("POST", ["v1", "query"]):
                    return (200, _findsDocument ? "{\"results\":[{\"id\":\"smoke-test-doc\",\"score\":0.9}]}" : "{\"results\":[]}");
                case ("DELETE", ["v1", "collections", var collection]):
                    Deleted.Enqueue(collection);
                    return (204, "");
                default:
                    return (404, "{\"title\":\"Not Found\"}");
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}

/// <summary>Skips, saying how to get them, where sh or curl is not on PATH.</summary>
public sealed class ShAndCurlTheoryAttribute : TheoryAttribute
{
    public ShAndCurlTheoryAttribute()
    {
        if (!ToolRun.OnPath("sh") || !ToolRun.OnPath("curl")) Skip = "sh or curl is not on PATH: apt-get install curl (the smoke test's image, curlimages/curl, has both).";
    }
}
