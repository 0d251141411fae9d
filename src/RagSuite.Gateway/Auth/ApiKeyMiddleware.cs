using Microsoft.Net.Http.Headers;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// Guards <c>/v1</c> when a key file is configured: the key (<c>Authorization: Bearer</c>, as OpenAI SDKs send it, or
/// <c>X-Api-Key</c>) must be known (401), have the endpoint's role and the route's collection (403), and be within its
/// limits (429). Health, readiness, metrics and the OpenAPI document stay open. The key found travels on the request for
/// the endpoints that name a collection in the body (<see cref="ApiAccess"/>).
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyStore store, ApiKeyLimiter limiter)
{
    private const string ApiKeyHeader = "X-Api-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!store.Enabled || !context.Request.Path.StartsWithSegments("/v1"))
        {
            await next(context);
            return;
        }

        var presented = Presented(context.Request)
            ?? throw new RagSuiteException(ErrorKind.Unauthenticated, $"Send an API key as 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>'.");
        // The message names neither the key nor its hash: a log line or a client echoing it must not leak one.
        var key = store.Find(presented) ?? throw new RagSuiteException(ErrorKind.Unauthenticated, "The API key is not known (or has been revoked).");

        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>()?.Role ?? ApiRole.Read;
        if (key.Role < required)
        {
            throw new RagSuiteException(ErrorKind.Forbidden,
                $"API key '{key.Name}' has role '{Name(key.Role)}'; this needs '{Name(required)}'.");
        }
        if (context.Request.RouteValues.TryGetValue("name", out var route) && route is string collection) ApiAccess.Demand(key, collection);

        context.Features.Set(key);
        using var lease = limiter.Acquire(key);
        await next(context);
    }

    public static string Name(ApiRole role) => role.ToString().ToLowerInvariant();

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && authorization.Length > bearer.Length)
        {
            return authorization[bearer.Length..].Trim();
        }
        var header = request.Headers[ApiKeyHeader].ToString();
        return header.Length > 0 ? header : null;
    }
}
