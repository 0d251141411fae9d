using Microsoft.Extensions.Diagnostics.HealthChecks;
using RagSuite.Retrieval.Storage;

namespace RagSuite.Retrieval;

/// <summary>Ready once the embedded store has opened its data directory and loaded every collection.</summary>
internal sealed class StoreReadinessCheck(EmbeddedVectorStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy($"{store.List().Count} collections loaded"));
}
