using Microsoft.Net.Http.Headers;

namespace RagSuite.Gateway.Security;

/// <summary>
/// Headers every gateway response carries, errors included. The gateway serves JSON and Server-Sent Events only (the
/// OpenAPI document is JSON; there is no HTML page), so the strictest values fit: nothing may be framed, sniffed as
/// another type, cached, or load anything, and no Referer leaves for a link followed from a response.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentTypeOptions = "nosniff";
    public const string FrameOptions = "DENY";
    public const string ReferrerPolicy = "no-referrer";
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>Answers hold collection contents, which a shared cache must never keep.</summary>
    public const string CacheControl = "no-store";

    private const string ReferrerPolicyHeader = "Referrer-Policy";

    /// <summary>
    /// Adds the headers as the response starts: the exception handler clears the headers of a response it replaces with a
    /// problem, but not the callbacks, so errors get them too.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers[HeaderNames.XContentTypeOptions] = ContentTypeOptions;
            headers[HeaderNames.XFrameOptions] = FrameOptions;
            headers[ReferrerPolicyHeader] = ReferrerPolicy;
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers[HeaderNames.CacheControl] = CacheControl;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    });
}
