using Microsoft.AspNetCore.Http.Features;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Refuses a request whose target holds a <c>.</c> or <c>..</c> segment, plain or percent-encoded. Kestrel
/// resolves them before routing (RFC 3986), so <c>DELETE /v1/collections/c/documents/%2e%2e</c> would arrive
/// as <c>DELETE /v1/collections/c</c> and delete the whole collection: a client escaping a document id it did
/// not check must get an error, not a different endpoint.
/// </summary>
public static class DotSegments
{
    public static IApplicationBuilder UseDotSegmentRefusal(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is not null && HasDotSegment(target))
        {
            throw new RagSuiteException(ErrorKind.BadRequest,
                "The request path holds a '.' or '..' segment (perhaps percent-encoded); it would name another resource. Document ids never hold such segments.");
        }
        return next(context);
    });

    public static bool HasDotSegment(string target)
    {
        var path = target.AsSpan();
        var query = path.IndexOfAny('?', '#');
        if (query >= 0) path = path[..query];
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.Length is 0 or > 6) continue;
            var decoded = Uri.UnescapeDataString(segment.ToString());
            if (decoded is "." or "..") return true;
        }
        return false;
    }
}
