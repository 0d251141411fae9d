using Microsoft.Extensions.Options;
using RagSuite.Core.Remote;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Gives a query endpoint's request its deadline (<see cref="GatewayOptions.QueryTimeout"/> from now), which every
/// service call made for it budgets against (<see cref="RequestDeadline"/>).
/// </summary>
internal static class QueryDeadline
{
    public static RouteHandlerBuilder WithQueryDeadline(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
            RequestDeadline.Set(DateTime.UtcNow + options.QueryTimeout);
            return await next(context);
        });
}
