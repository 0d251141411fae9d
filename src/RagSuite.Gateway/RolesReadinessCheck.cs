using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RagSuite.Contracts.V1;
using RagSuite.Core.Remote;
using RagSuite.Core.Roles;

namespace RagSuite.Gateway;

/// <summary>
/// Readiness never cascades: the gateway is ready when it can answer at all, which takes only the retriever. Each
/// remote role is asked a cheap question (all at once, a few seconds' patience); the embedder, reranker and generator
/// being unavailable makes answers poorer, not impossible, so it reports Degraded — still ready — and only an
/// unavailable retriever makes the gateway unready. Every role's state is in the result's data for <c>/readyz</c>.
/// A dependency that is not up yet is expected (at start-up, during a rollout), so a change of state is logged as
/// one line and a repeated one not at all.
/// </summary>
internal sealed partial class RolesReadinessCheck(IEmbedder embedder, IRetriever retriever, IReranker reranker, IGenerator generator,
    IConfiguration configuration, ILogger<RolesReadinessCheck> logger) : IHealthCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, string> _lastStates = new();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken probeCancelled = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(probeCancelled);
        timeout.CancelAfter(Patience);
        var cancellationToken = timeout.Token;
        var checks = new (string Role, Func<Task> Call)[]
        {
            (RoleNames.Embedder, () => embedder.GetInfoAsync(cancellationToken)),
            (RoleNames.Retriever, () => retriever.ListCollectionsAsync(new ListCollectionsRequest(), cancellationToken)),
            (RoleNames.Reranker, () => reranker.GetInfoAsync(cancellationToken)),
            (RoleNames.Generator, () => generator.GetInfoAsync(cancellationToken)),
        };
        var states = await Task.WhenAll(checks.Select(c => StateAsync(c.Role, c.Call, probeCancelled)));

        var data = new Dictionary<string, object>();
        foreach (var (role, state) in checks.Select(c => c.Role).Zip(states))
        {
            var name = role.ToLowerInvariant();
            data[name] = state;
            if (_lastStates.TryGetValue(name, out var last) ? last != state.State : state.State == RoleReadiness.Unavailable)
            {
                if (state.State == RoleReadiness.Unavailable) LogUnavailable(logger, name, state.Reason ?? "");
                else LogAvailable(logger, name, state.State);
            }
            _lastStates[name] = state.State;
        }

        var down = data.Where(d => ((RoleReadiness)d.Value).State == RoleReadiness.Unavailable).Select(d => d.Key).ToList();
        if (down.Count == 0) return HealthCheckResult.Healthy(data: data);
        var description = $"Unavailable: {string.Join(", ", down)}.";
        return down.Contains(RoleNames.Retriever.ToLowerInvariant())
            ? HealthCheckResult.Unhealthy(description, data: data)
            : HealthCheckResult.Degraded(description, data: data);
    }

    private async Task<RoleReadiness> StateAsync(string role, Func<Task> call, CancellationToken probeCancelled)
    {
        if (!RemoteRoleRegistration.IsRemote(configuration, role)) return new RoleReadiness(RoleReadiness.InProcess);
        try
        {
            await call();
            return new RoleReadiness(RoleReadiness.Ready);
        }
        catch (OperationCanceledException) when (!probeCancelled.IsCancellationRequested)
        {
            return new RoleReadiness(RoleReadiness.Unavailable, $"The {role.ToLowerInvariant()} did not answer within {Patience.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // RagSuite's gRPC clients describe a transport failure by the role alone, so the message carries no address.
            return new RoleReadiness(RoleReadiness.Unavailable, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dependency {Role} unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string role, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dependency {Role} is {State}")]
    private static partial void LogAvailable(ILogger logger, string role, string state);
}
