using RagSuite.Generation.Upstreams;

namespace RagSuite.Generation.Routing;

/// <summary>What routing may look at: the collection, the request's hint, and the full prompt's length as an upstream counts it.</summary>
public sealed record RouteRequest(string Collection, string Hint, int MaxTokens, Func<ChatUpstream, int> FullPromptTokens);

/// <summary>
/// Orders the upstreams to try for one request, by the configured policy. The first is the choice; the rest are the
/// fallbacks, tried in turn when one fails before its first token.
/// </summary>
public sealed class UpstreamRouter(IReadOnlyList<ChatUpstream> upstreams, RoutingOptions options)
{
    private long _turn = -1;

    public string Policy => options.Policy;

    public IReadOnlyList<ChatUpstream> Order(RouteRequest request)
    {
        if (upstreams.Count == 0) return [];
        switch (options.Policy)
        {
            case RoutingPolicies.RoundRobin:
                var start = (int)(Interlocked.Increment(ref _turn) % upstreams.Count);
                return [.. upstreams.Skip(start), .. upstreams.Take(start)];
            case RoutingPolicies.LeastLatency:
                // Stable: equal averages (new upstreams at 0) keep their configured order.
                return [.. upstreams.OrderBy(u => u.LatencyMs)];
            case RoutingPolicies.Rules:
                var rule = options.Rules.FirstOrDefault(r => Holds(r, request));
                return rule is null ? upstreams : [.. rule.Upstreams.Select(name => upstreams.First(u => u.Name == name))];
            default:
                return upstreams;
        }
    }

    private bool Holds(RouteRule rule, RouteRequest request)
    {
        if (rule.Collection is { } collection && collection != request.Collection) return false;
        if (rule.Hint is { } hint && hint != request.Hint) return false;
        if (rule.MinPromptTokens is null && rule.MaxPromptTokens is null && rule.FitsContext is null) return true;
        var first = upstreams.First(u => u.Name == rule.Upstreams[0]);
        var tokens = request.FullPromptTokens(first);
        if (rule.MinPromptTokens is { } min && tokens < min) return false;
        if (rule.MaxPromptTokens is { } max && tokens > max) return false;
        if (rule.FitsContext is { } fits && fits != tokens + request.MaxTokens <= first.Options.ContextWindow) return false;
        return true;
    }
}
