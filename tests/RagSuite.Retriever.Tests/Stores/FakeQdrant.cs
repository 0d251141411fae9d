using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>A request as the Qdrant client sent it: method, path with query string, JSON body and api-key header.</summary>
public sealed record CapturedRequest(string Method, string PathAndQuery, string? Body, string? ApiKey)
{
    public string Path => PathAndQuery.Split('?')[0];
}

/// <summary>
/// Stands in for Qdrant's REST API: records every request and answers each with <see cref="Respond"/>, which by
/// default gives a plausible empty answer of the shape the endpoint documents.
/// </summary>
public sealed class FakeQdrant : HttpMessageHandler
{
    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    /// <summary>The answer to a request; null falls back to <see cref="DefaultAnswer"/>.</summary>
    public Func<CapturedRequest, HttpResponseMessage?> Respond { get; set; } = _ => null;

    /// <summary>The catalogue entry answered for <c>docs</c> (its config JSON, as the store wrote it), or null for no such collection.</summary>
    /// <summary>How long each answer takes (cut short when the client gives up on the request).</summary>
    public TimeSpan Delay { get; set; }

    public string? DocsConfig { get; set; } = """{"dense_dimension": 4, "bm25": {"k1": 1, "b": 0}}""";

    public IEnumerable<CapturedRequest> To(string method, string pathAndQuery) =>
        Requests.Where(r => r.Method == method && r.PathAndQuery == pathAndQuery);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var captured = new CapturedRequest(request.Method.Method, request.RequestUri!.PathAndQuery, body,
            request.Headers.TryGetValues("api-key", out var keys) ? keys.Single() : null);
        Requests.Enqueue(captured);
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        return Respond(captured) ?? DefaultAnswer(captured);
    }

    public static HttpResponseMessage Ok(string result) => Json(HttpStatusCode.OK, $$"""{"result": {{result}}, "status": "ok", "time": 0.001}""");

    public static HttpResponseMessage Error(HttpStatusCode status, string error) =>
        Json(status, $$"""{"status": {"error": "{{error}}"}, "time": 0.001}""");

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private HttpResponseMessage DefaultAnswer(CapturedRequest request) => (request.Method, request.Path) switch
    {
        ("POST", "/collections/ragsuite_catalog/points") => Ok(DocsConfig is null || !request.Body!.Contains(DocsId, StringComparison.Ordinal) ? "[]" : $$$"""
            [{"id": "{{{DocsId}}}", "payload": {"name": "docs", "config": {{{DocsConfig}}}, "created_at": "2026-01-02T03:04:05Z", "bm25_average_length": 256}}]
            """),
        ("GET", "/collections") => Ok("""{"collections": [{"name": "ragsuite_catalog"}]}"""),
        ("GET", _) => Ok("""{"status": "green", "points_count": 0}"""),
        ("PUT" or "DELETE", var path) when path.Count(c => c == '/') == 2 => Ok("true"),
        (_, var path) when path.EndsWith("/points/count", StringComparison.Ordinal) => Ok("""{"count": 3}"""),
        (_, var path) when path.EndsWith("/points/scroll", StringComparison.Ordinal) => Ok("""{"points": [], "next_page_offset": null}"""),
        (_, var path) when path.EndsWith("/points/query", StringComparison.Ordinal) => Ok("""{"points": []}"""),
        (_, var path) when path.EndsWith("/points/query/batch", StringComparison.Ordinal) =>
            Ok("[" + string.Join(",", JsonNode.Parse(request.Body!)!["searches"]!.AsArray().Select(_ => """{"points": []}""")) + "]"),
        ("POST", var path) when path.EndsWith("/points", StringComparison.Ordinal) => Ok("[]"),
        _ => Ok("""{"operation_id": 1, "status": "completed"}"""),
    };

    /// <summary>The catalogue point id of the collection <c>docs</c>.</summary>
    public const string DocsId = "90af1f02-1dbf-89d9-b4b0-5f143957d963";
}
