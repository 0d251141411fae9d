using Microsoft.Extensions.Diagnostics.HealthChecks;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>Ready while the database answers: the pgvector store keeps nothing in process that could be loading.</summary>
internal sealed class PgvectorReadinessCheck(PgvectorVectorStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var collections = await store.ListCollectionsAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PostgreSQL reached; {collections.Count} collections");
        }
        catch (RagSuiteException e) when (e.Kind == ErrorKind.Unavailable)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
