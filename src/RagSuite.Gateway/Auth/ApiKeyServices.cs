using RagSuite.Core.Configuration;

namespace RagSuite.Gateway.Auth;

/// <summary>Registers API keys (off unless <c>RagSuite:Gateway:Auth:KeysFile</c> is set) and puts their check in the pipeline.</summary>
public static class ApiKeyServices
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ApiKeyOptions>(configuration, ApiKeyOptions.Section);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyLimiter>();
        services.AddSingleton<ApiKeyMetrics>();
        services.AddHostedService<ApiKeyFileWatcher>();
        return services;
    }

    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMiddleware>();

    /// <summary>Counts requests by key and outcome; goes before the exception handler, so it sees every final status.</summary>
    public static IApplicationBuilder UseApiKeyMetrics(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMetricsMiddleware>();
}
