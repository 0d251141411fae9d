using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Configuration;
using RagSuite.Core.Roles;
using RagSuite.Inference;

namespace RagSuite.Reranking;

public static class RerankingServiceCollectionExtensions
{
    /// <summary>Registers the reranker role running in this process: options, the cross-encoder (loaded at start-up), bi-encoder rescoring.</summary>
    public static IServiceCollection AddInProcessReranker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RerankerOptions>(configuration, RerankerOptions.Section)
            .Validate(o => o.AutoWithoutCrossEncoder is Contracts.V1.RerankMode.None or Contracts.V1.RerankMode.Lexical or Contracts.V1.RerankMode.BiEncoder,
                $"{RerankerOptions.Section}:AutoWithoutCrossEncoder must be None, Lexical or BiEncoder.");
        services.AddEncoderRuntime(configuration);
        services.AddSingleton<RerankerMetrics>();
        services.AddSingleton<CrossEncoderModel>();
        services.AddHostedService(sp => sp.GetRequiredService<CrossEncoderModel>());
        services.AddSingleton<BiEncoderRescorer>();
        services.AddSingleton<IReranker, InProcessReranker>();
        services.AddHealthChecks().AddCheck<RerankerReadinessCheck>("reranker-model");
        return services;
    }
}
