using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Configuration;
using RagSuite.Core.Roles;
using RagSuite.Inference;

namespace RagSuite.Embedding;

public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>Registers the embedder role running in this process: options, the dense model (loaded at start-up) and its readiness.</summary>
    public static IServiceCollection AddInProcessEmbedder(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EmbedderOptions>(configuration, EmbedderOptions.Section);
        services.AddEncoderRuntime(configuration);
        services.AddSingleton<EmbedderMetrics>();
        services.AddSingleton<DenseModel>();
        services.AddHostedService(sp => sp.GetRequiredService<DenseModel>());
        services.AddSingleton<IEmbedder, InProcessEmbedder>();
        services.AddHealthChecks().AddCheck<DenseModelReadinessCheck>("embedder-model");
        return services;
    }
}
