using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RagSuite.Embedding;

/// <summary>
/// Not ready while the dense model loads (or is pulled); ready once it is loaded; degraded, but still
/// serving sparse vectors, when it could not be loaded.
/// </summary>
internal sealed class DenseModelReadinessCheck(DenseModel dense) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!dense.IsSettled) return HealthCheckResult.Unhealthy($"dense model '{dense.Name}' is loading");
        var state = await dense.StateAsync(cancellationToken);
        return state.IsAvailable ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded(state.UnavailableReason);
    }
}
