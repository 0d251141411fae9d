using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RagSuite.Core.Configuration;

namespace RagSuite.Retrieval.Stores.Pgvector;

public static class PgvectorServiceCollectionExtensions
{
    /// <summary>Registers the pgvector store as the <see cref="IVectorStore"/>, with validated options and a readiness check that reaches the database.</summary>
    public static IServiceCollection AddPgvectorVectorStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PgvectorOptions>(configuration, PgvectorOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PgvectorOptions>, PgvectorOptionsValidator>());
        services.AddSingleton<PgvectorVectorStore>();
        services.AddSingleton<IVectorStore>(provider => provider.GetRequiredService<PgvectorVectorStore>());
        services.AddHealthChecks().AddCheck<PgvectorReadinessCheck>("vector-store");
        return services;
    }
}
