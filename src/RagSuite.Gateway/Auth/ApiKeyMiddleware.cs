using System.Threading.RateLimiting;
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

        var presented = Presented(context.Request);
        if (presented is null)
        {
            throw Reject(context, ApiKeyRejection.MissingKey,
                new RagSuiteException(ErrorKind.Unauthenticated, $"Send an API key as 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>'."));
        }
        // The message names neither the key nor its hash: a log line or a client echoing it must not leak one.
        var key = store.Find(presented)
            ?? throw Reject(context, ApiKeyRejection.UnknownKey, new RagSuiteException(ErrorKind.Unauthenticated, "The API key is not known (or has been revoked)."));
        // Set before the checks below, so a refusal is counted under the key that was refused.
        context.Features.Set(key);

        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>()?.Role ?? ApiRole.Read;
        if (key.Role < required)
        {
            throw Reject(context, ApiKeyRejection.Role, new RagSuiteException(ErrorKind.Forbidden,
                $"API key '{key.Name}' has role '{Name(key.Role)}'; this needs '{Name(required)}'."));
        }
        // Each refusal below is thrown as it always was; the exception filters only note why, for the metrics, and catch nothing.
        try
        {
            if (context.Request.RouteValues.TryGetValue("name", out var route) && route is string collection) ApiAccess.Demand(key, collection);
        }
        catch (RagSuiteException) when (Note(context, ApiKeyRejection.Scope))
        {
            throw;
        }
        try
        {
            limiter.AcquireRate(key);
        }
        catch (RagSuiteException) when (Note(context, ApiKeyRejection.RateLimit))
        {
            throw;
        }
        RateLimitLease lease;
        try
        {
            lease = limiter.AcquireConcurrency(key);
        }
        catch (RagSuiteException) when (Note(context, ApiKeyRejection.ConcurrencyLimit))
        {
            throw;
        }

        using (lease)
        {
            try
            {
                await next(context);
            }
            // An endpoint that reads the collection or tenant from the body refuses with 403 itself (ApiAccess).
            catch (RagSuiteException e) when (e.Kind == ErrorKind.Forbidden && Note(context, ApiKeyRejection.Scope))
            {
                throw;
            }
        }
    }

    private static RagSuiteException Reject(HttpContext context, string reason, RagSuiteException refusal)
    {
        Note(context, reason);
        return refusal;
    }

    /// <summary>Records why the key check refused, for <see cref="ApiKeyMetricsMiddleware"/>; false, so a filter using it catches nothing.</summary>
    private static bool Note(HttpContext context, string reason)
    {
        context.Features.Set(new ApiKeyRejection(reason));
        return false;
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
