using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Configuration;
using RagSuite.Core.Roles;

namespace RagSuite.Embedding;

public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>Registers the embedder role running in this process, with validated options.</summary>
    public static IServiceCollection AddInProcessEmbedder(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EmbedderOptions>(configuration, EmbedderOptions.Section);
        services.AddMetrics();
        services.AddSingleton<EmbedderMetrics>();
        services.AddSingleton<IEmbedder, InProcessEmbedder>();
        return services;
    }
}
