using Microsoft.Extensions.Options;
using RagSuite.Core.Configuration;

namespace RagSuite.Gateway.Security;

/// <summary>CORS from <see cref="GatewayCorsOptions"/>: registered always, in the pipeline only when origins are configured.</summary>
public static class GatewayCors
{
    public const string PolicyName = "ragsuite-gateway";

    public static IServiceCollection AddGatewayCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GatewayCorsOptions>(configuration, GatewayCorsOptions.Section);
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<GatewayCorsOptions>>((cors, gateway) =>
        {
            var options = gateway.Value;
            if (!options.Enabled) return;
            cors.AddPolicy(PolicyName, policy => policy
                .WithOrigins([.. options.AllowedOrigins])
                .WithMethods([.. options.AllowedMethods])
                .WithHeaders([.. options.AllowedHeaders])
                // Clients read how long to wait after a 429 or 503.
                .WithExposedHeaders("Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromSeconds(options.MaxAgeSeconds)));
        });
        return services;
    }

    /// <summary>
    /// Without configured origins nothing is added: no CORS middleware means no <c>Access-Control-*</c> header on any response,
    /// and a preflight finds no endpoint that allows OPTIONS.
    /// </summary>
    public static IApplicationBuilder UseGatewayCors(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<GatewayCorsOptions>>().Value;
        return options.Enabled ? app.UseCors(PolicyName) : app;
    }
}
