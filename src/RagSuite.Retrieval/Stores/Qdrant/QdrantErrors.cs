using System.Net;
using System.Net.Http.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// Qdrant's failures as RagSuite errors: 404 → NotFound, 409 (or "already exists") → Conflict, 5xx, 429, timeouts and
/// connection failures (after the retries) → Unavailable. Messages name Qdrant and say what went wrong, never the URL
/// or the API key.
/// </summary>
internal static class QdrantErrors
{
    public static async Task<RagSuiteException> FromResponseAsync(HttpResponseMessage response, string? collection, CancellationToken cancellationToken)
    {
        var reason = await ReasonAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => RagSuiteException.NotFound(collection is null ? $"Qdrant: {reason}" : $"Collection '{collection}' does not exist."),
            HttpStatusCode.Conflict => Conflict(collection, reason),
            HttpStatusCode.BadRequest when reason.Contains("already exists", StringComparison.OrdinalIgnoreCase) => Conflict(collection, reason),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => RagSuiteException.Unavailable(
                $"Qdrant refused the request ({status}): the API key in {QdrantOptions.Section}:ApiKeyFile is missing or wrong."),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => RagSuiteException.Unavailable($"Qdrant is overloaded ({status}): {reason}"),
            _ when status >= 500 => RagSuiteException.Unavailable($"Qdrant is unavailable ({status}): {reason}"),
            // Any other refusal means this store built a request Qdrant does not take: a bug here, not the caller's.
            _ => new RagSuiteException(ErrorKind.Internal, $"Qdrant refused a request ({status}): {reason}"),
        };
    }

    /// <summary>A transport failure as Unavailable; null for what is not one (the caller's own cancellation included).</summary>
    public static RagSuiteException? FromTransport(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        RagSuiteException => null,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        HttpRequestException http => RagSuiteException.Unavailable(
            $"Qdrant cannot be reached ({(http.HttpRequestError == HttpRequestError.Unknown ? "request failed" : http.HttpRequestError.ToString())})."),
        TimeoutRejectedException or OperationCanceledException => RagSuiteException.Unavailable("Qdrant did not answer in time."),
        BrokenCircuitException => RagSuiteException.Unavailable("Qdrant is failing; requests are held back for a moment."),
        System.Text.Json.JsonException or NotSupportedException => RagSuiteException.Unavailable("Qdrant answered with a body that is not the expected JSON."),
        _ => null,
    };

    public static RagSuiteException Unreadable(string path) =>
        RagSuiteException.Unavailable($"Qdrant answered {path.Split('?')[0]} with a body that is not the expected JSON.");

    private static RagSuiteException Conflict(string? collection, string reason) =>
        RagSuiteException.Conflict(collection is null ? $"Qdrant: {reason}" : $"Collection '{collection}' already exists.");

    /// <summary>Qdrant's own explanation (<c>status.error</c>), else the status line.</summary>
    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync(QdrantJsonContext.Default.QdrantResponseJsonNode, cancellationToken);
            if (body?.Status is System.Text.Json.Nodes.JsonObject status && status["error"]?.GetValue<string>() is { Length: > 0 } error) return error;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not Qdrant's JSON (a proxy's page, say): the status line says enough.
        }
        return response.ReasonPhrase ?? response.StatusCode.ToString();
    }
}
