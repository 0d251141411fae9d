using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagSuite.Core.Configuration;

namespace RagSuite.Core.Security;

/// <summary>Registers the service token once per host, for the gateway's clients and the services' check alike.</summary>
public static class ServiceTokenRegistration
{
    public static IServiceCollection AddServiceToken(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ServiceToken))) return services;
        services.AddValidatedOptions<ServiceTokenOptions>(configuration, ServiceTokenOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ServiceToken>();
        return services;
    }

    /// <summary>Sends the service token (when one is configured) on every call of this gRPC client.</summary>
    public static IHttpClientBuilder AddServiceTokenInterceptor(this IHttpClientBuilder client) =>
        client.AddInterceptor(sp => new ServiceTokenClientInterceptor(sp.GetRequiredService<ServiceToken>()));
}
