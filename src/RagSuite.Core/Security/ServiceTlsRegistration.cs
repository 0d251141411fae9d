using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RagSuite.Core.Configuration;

namespace RagSuite.Core.Security;

/// <summary>Registers the service TLS credentials once per host, for the services' gRPC listener and the gRPC clients alike.</summary>
public static class ServiceTlsRegistration
{
    public static IServiceCollection AddServiceTls(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ServiceTls))) return services;
        // Checked at start-up, so a host whose certificate files are missing or unusable stops there, naming the setting,
        // instead of at its first call (a gateway builds its gRPC clients lazily).
        services.AddValidatedOptions<ServiceTlsOptions>(configuration, ServiceTlsOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceTlsOptions>, FilesUsable>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ServiceTls>();
        return services;
    }

    private sealed class FilesUsable : IValidateOptions<ServiceTlsOptions>
    {
        public ValidateOptionsResult Validate(string? name, ServiceTlsOptions options) =>
            ServiceTls.Problem(options) is { } problem ? ValidateOptionsResult.Fail($"{ServiceTlsOptions.Section} is invalid: {problem}") : ValidateOptionsResult.Success;
    }
}
