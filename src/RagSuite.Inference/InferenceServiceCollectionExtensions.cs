using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagSuite.Core.Configuration;
using RagSuite.Inference.Batching;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Sessions;

namespace RagSuite.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>The encoder runtime, once per process however many roles ask for it: sessions, loaded models, metrics.</summary>
    public static IServiceCollection AddEncoderRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(EncoderModels))) return services;
        services.AddValidatedOptions<InferenceOptions>(configuration, InferenceOptions.Section);
        services.AddValidatedOptions<ModelsOptions>(configuration, ModelsOptions.Section);
        services.AddMetrics();
        services.TryAddSingleton<EncoderMetrics>();
        services.TryAddSingleton<OnnxSessionFactory>();
        services.TryAddSingleton<EncoderModels>();
        return services;
    }
}
