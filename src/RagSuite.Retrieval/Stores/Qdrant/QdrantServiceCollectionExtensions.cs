using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using RagSuite.Core.Configuration;

namespace RagSuite.Retrieval.Stores.Qdrant;

public static class QdrantServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IVectorStore"/> on Qdrant: validated <see cref="QdrantOptions"/>, the REST client's HttpClient
    /// with the API key and a resilience pipeline (a per-attempt timeout; for idempotent requests only, retries with
    /// jittered exponential backoff on connection failures, timeouts, 408, 429 and 5xx), and a readiness check.
    /// </summary>
    public static IServiceCollection AddQdrantVectorStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<QdrantOptions>(configuration, QdrantOptions.Section);
        services.AddTransient<QdrantApiKeyHandler>();
        services.AddHttpClient(QdrantRestClient.HttpClientName, (provider, http) =>
            {
                http.BaseAddress = BaseAddress(provider.GetRequiredService<IOptions<QdrantOptions>>().Value.Url);
                http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline times each attempt
            })
            .AddHttpMessageHandler<QdrantApiKeyHandler>()
            .AddResilienceHandler("qdrant", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<QdrantOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // A request that is not idempotent is never repeated: its first attempt may have been applied.
                    ShouldHandle = args => ValueTask.FromResult(
                        QdrantIdempotency.IsIdempotent(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                pipeline.AddTimeout(options.Timeout);
            });
        services.AddSingleton<QdrantRestClient>();
        services.AddSingleton<QdrantCatalog>();
        services.AddSingleton<QdrantVectorStore>();
        services.AddSingleton<IVectorStore>(provider => provider.GetRequiredService<QdrantVectorStore>());
        services.AddHealthChecks().AddCheck<QdrantReadinessCheck>("vector-store");
        return services;
    }

    /// <summary>The URL with a trailing slash, so relative request paths append to any path prefix it has.</summary>
    private static Uri BaseAddress(string url) => new(url.EndsWith('/') ? url : url + "/");
}
