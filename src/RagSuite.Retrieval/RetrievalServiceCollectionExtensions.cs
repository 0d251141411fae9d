using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Configuration;
using RagSuite.Core.Roles;
using RagSuite.Retrieval.Storage;
using RagSuite.Retrieval.Stores;
using RagSuite.Retrieval.Stores.Pgvector;
using RagSuite.Retrieval.Stores.Qdrant;

namespace RagSuite.Retrieval;

public static class RetrievalServiceCollectionExtensions
{
    /// <summary>Registers the retriever role over the configured vector store (embedded by default), with validated options and a readiness check.</summary>
    public static IServiceCollection AddInProcessRetriever(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RetrieverOptions>(configuration, RetrieverOptions.Section)
            .Validate(o => o.DefaultFusion is Contracts.V1.FusionMode.Rrf or Contracts.V1.FusionMode.Weighted,
                $"{RetrieverOptions.Section}:DefaultFusion must be Rrf or Weighted.");
        services.AddMetrics();
        services.AddSingleton<RetrieverMetrics>();
        services.AddSingleton<IRetriever, InProcessRetriever>();
        // The store is chosen by RagSuite:Retriever:Store; each backend registers IVectorStore and its readiness check.
        var store = configuration.GetSection(RetrieverOptions.Section)[nameof(RetrieverOptions.Store)] ?? RetrieverOptions.EmbeddedStore;
        switch (store.ToLowerInvariant())
        {
            case RetrieverOptions.EmbeddedStore:
                services.AddSingleton<EmbeddedVectorStore>();
                services.AddSingleton<IVectorStore>(provider => provider.GetRequiredService<EmbeddedVectorStore>());
                services.AddHostedService<StoreOpener>();
                services.AddHealthChecks().AddCheck<StoreReadinessCheck>("vector-store");
                break;
            case PgvectorVectorStore.StoreKind:
                services.AddPgvectorVectorStore(configuration);
                break;
            case QdrantVectorStore.StoreKind:
                services.AddQdrantVectorStore(configuration);
                break;
            default:
                throw new InvalidOperationException($"{RetrieverOptions.Section}:Store is '{store}'; it must be {RetrieverOptions.EmbeddedStore}, {PgvectorVectorStore.StoreKind} or {QdrantVectorStore.StoreKind}.");
        }
        return services;
    }
}
