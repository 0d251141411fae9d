using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Configuration;
using RagSuite.Core.Roles;

namespace RagSuite.Generation;

public static class GenerationServiceCollectionExtensions
{
    /// <summary>Registers the generator role running in this process, with validated options.</summary>
    public static IServiceCollection AddInProcessGenerator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GeneratorOptions>(configuration, GeneratorOptions.Section);
        services.AddMetrics();
        services.AddSingleton<GeneratorMetrics>();
        services.AddSingleton<IGenerator, InProcessGenerator>();
        return services;
    }
}
