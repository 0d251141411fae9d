namespace RagSuite.Gateway.Auth;

/// <summary>
/// Counts each <c>/v1</c> request once its response is final. It sits outside the exception handler, so a refusal thrown as
/// an exception is counted with the status its problem response got.
/// </summary>
public sealed class ApiKeyMetricsMiddleware(RequestDelegate next, ApiKeyMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            await next(context);
            return;
        }
        try
        {
            await next(context);
        }
        finally
        {
            metrics.Record(context.Features.Get<ApiKey>()?.Name ?? ApiKeyMetrics.Anonymous, context.Response.StatusCode,
                context.Features.Get<ApiKeyRejection>());
        }
    }
}
