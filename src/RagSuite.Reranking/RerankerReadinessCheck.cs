using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RagSuite.Reranking;

/// <summary>Not ready while a configured cross-encoder loads; degraded, still serving the other modes, if it failed to.</summary>
internal sealed class RerankerReadinessCheck(CrossEncoderModel crossEncoder) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!crossEncoder.IsSettled) return HealthCheckResult.Unhealthy($"cross-encoder '{crossEncoder.Name}' is loading");
        var state = await crossEncoder.StateAsync(cancellationToken);
        return state.UnavailableReason is { } reason ? HealthCheckResult.Degraded(reason) : HealthCheckResult.Healthy();
    }
}
