using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RagSuite.Embedding;

/// <summary>
/// Not ready while the dense model loads (or is pulled); ready once it is loaded, or when none is configured;
/// degraded, but still serving sparse vectors, when a configured model could not be loaded.
/// </summary>
internal sealed class DenseModelReadinessCheck(DenseModel dense) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!dense.IsSettled) return HealthCheckResult.Unhealthy($"dense model '{dense.Name}' is loading");
        var state = await dense.StateAsync(cancellationToken);
        // Sparse-only by configuration is healthy; a configured model that is missing is not.
        return state.IsAvailable || string.IsNullOrWhiteSpace(dense.Name) ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded(state.UnavailableReason);
    }
}
