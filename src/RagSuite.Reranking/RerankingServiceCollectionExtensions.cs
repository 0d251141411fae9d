using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Configuration;
using RagSuite.Core.Roles;

namespace RagSuite.Reranking;

public static class RerankingServiceCollectionExtensions
{
    /// <summary>Registers the reranker role running in this process, with validated options.</summary>
    public static IServiceCollection AddInProcessReranker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RerankerOptions>(configuration, RerankerOptions.Section);
        services.AddMetrics();
        services.AddSingleton<RerankerMetrics>();
        services.AddSingleton<IReranker, InProcessReranker>();
        return services;
    }
}
