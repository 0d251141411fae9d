using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Configuration;
using RagSuite.Core.Roles;
using RagSuite.Retrieval.Storage;
using RagSuite.Retrieval.Stores;

namespace RagSuite.Retrieval;

public static class RetrievalServiceCollectionExtensions
{
    /// <summary>Registers the retriever role over the embedded store, with validated options and a readiness check.</summary>
    public static IServiceCollection AddInProcessRetriever(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RetrieverOptions>(configuration, RetrieverOptions.Section)
            .Validate(o => o.DefaultFusion is Contracts.V1.FusionMode.Rrf or Contracts.V1.FusionMode.Weighted,
                $"{RetrieverOptions.Section}:DefaultFusion must be Rrf or Weighted.");
        services.AddMetrics();
        services.AddSingleton<RetrieverMetrics>();
        services.AddSingleton<EmbeddedVectorStore>();
        services.AddSingleton<IVectorStore>(provider => provider.GetRequiredService<EmbeddedVectorStore>());
        services.AddSingleton<IRetriever, InProcessRetriever>();
        services.AddHostedService<StoreOpener>();
        services.AddHealthChecks().AddCheck<StoreReadinessCheck>("vector-store");
        return services;
    }
}
