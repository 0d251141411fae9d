using Microsoft.AspNetCore.Diagnostics;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Api;

/// <summary>Writes every exception that escapes an endpoint as problem+json, through <see cref="ProblemMapper"/>.</summary>
internal sealed class ProblemExceptionHandler(ProblemMapper mapper, IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested) return true;
        var problem = mapper.ToProblem(exception, httpContext);
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        // RFC 9110: a 401 names the scheme that would be accepted; OpenAI SDKs send their key as a bearer token.
        if (problem.Status == StatusCodes.Status401Unauthorized) httpContext.Response.Headers.WWWAuthenticate = "Bearer";
        if (exception is RagSuiteException { RetryAfter: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
