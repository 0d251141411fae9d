using Microsoft.Extensions.Diagnostics.HealthChecks;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Gateway;

/// <summary>
/// Ready when every role answers a cheap call within a few seconds; in distributed mode that means every service
/// is reachable. A role still loading its model does not hold the probe: it counts as not answering yet.
/// </summary>
internal sealed class RolesReadinessCheck(IEmbedder embedder, IRetriever retriever, IReranker reranker, IGenerator generator) : IHealthCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken probeCancelled = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(probeCancelled);
        timeout.CancelAfter(Patience);
        var cancellationToken = timeout.Token;
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
            catch (OperationCanceledException) when (!probeCancelled.IsCancellationRequested)
            {
                failures.Add($"{role}: no answer within {Patience.TotalSeconds:0} s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add($"{role}: {e.Message}");
            }
        }
        return failures.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", failures));
    }
}
