using Microsoft.Extensions.Diagnostics.HealthChecks;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Gateway;

/// <summary>Ready when every role answers a cheap call; in distributed mode that means every service is reachable.</summary>
internal sealed class RolesReadinessCheck(IEmbedder embedder, IRetriever retriever, IReranker reranker, IGenerator generator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var checks = new (string Role, Func<Task> Call)[]
        {
            ("embedder", () => embedder.GetInfoAsync(cancellationToken)),
            ("retriever", () => retriever.ListCollectionsAsync(new ListCollectionsRequest(), cancellationToken)),
            ("reranker", () => reranker.GetInfoAsync(cancellationToken)),
            ("generator", () => generator.GetInfoAsync(cancellationToken)),
        };
        var failures = new List<string>();
        foreach (var (role, call) in checks)
        {
            try
            {
                await call();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add($"{role}: {e.Message}");
            }
        }
        return failures.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", failures));
    }
}
