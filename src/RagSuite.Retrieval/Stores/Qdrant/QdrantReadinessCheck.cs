using Microsoft.Extensions.Diagnostics.HealthChecks;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>Ready while Qdrant answers (with the API key accepted) and the catalogue exists.</summary>
internal sealed class QdrantReadinessCheck(QdrantVectorStore store, QdrantRestClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.WaitUntilReadyAsync(cancellationToken);
            var collections = await client.ListCollectionsAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Qdrant answers ({collections.Count} Qdrant collections)");
        }
        catch (RagSuiteException e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
