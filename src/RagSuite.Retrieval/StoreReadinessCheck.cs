using Microsoft.Extensions.Diagnostics.HealthChecks;
using RagSuite.Retrieval.Storage;

namespace RagSuite.Retrieval;

/// <summary>
/// Ready once the embedded store has loaded every collection. A damaged collection does not take the others out of
/// service, so it is named in the report without failing it.
/// </summary>
internal sealed class StoreReadinessCheck(EmbeddedVectorStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!store.Loading.IsCompleted) return Task.FromResult(HealthCheckResult.Unhealthy("loading collections"));
        var damaged = store.Damaged;
        var description = $"{store.List().Count} collections loaded";
        if (damaged.Count > 0) description += $"; damaged until repaired: {string.Join("; ", damaged.Select(d => $"{d.Key} ({d.Value})"))}";
        return Task.FromResult(HealthCheckResult.Healthy(description));
    }
}
