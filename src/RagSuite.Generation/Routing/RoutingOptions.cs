using System.ComponentModel.DataAnnotations;

namespace RagSuite.Generation.Routing;

/// <summary>How each request's upstreams are ordered; a failure before the first token goes to the next one.</summary>
public sealed class RoutingOptions
{
    [RegularExpression("^(primary-with-fallback|round-robin|least-latency|rules)$",
        ErrorMessage = "Routing:Policy must be primary-with-fallback, round-robin, least-latency or rules")]
    public string Policy { get; set; } = RoutingPolicies.PrimaryWithFallback;

    /// <summary>For <c>rules</c>: the first rule whose conditions all hold names the upstreams, in order. None holds: all, in configured order.</summary>
    public List<RouteRule> Rules { get; set; } = [];

    /// <summary>Weight of the newest sample in the moving average of time to first token (<c>least-latency</c>).</summary>
    [Range(0.01, 1.0)]
    public double LatencySmoothing { get; set; } = 0.2;
}

/// <summary>A routing rule: conditions left unset always hold.</summary>
public sealed class RouteRule
{
    public string? Collection { get; set; }

    /// <summary>Holds when the request's route hint equals it.</summary>
    public string? Hint { get; set; }

    /// <summary>Holds when the full prompt (every source) is at least this many tokens.</summary>
    public int? MinPromptTokens { get; set; }

    /// <summary>Holds when the full prompt is at most this many tokens.</summary>
    public int? MaxPromptTokens { get; set; }

    /// <summary>Holds when the full prompt fits the first named upstream's context window.</summary>
    public bool? FitsContext { get; set; }

    /// <summary>Upstream names, in the order to try them.</summary>
    public List<string> Upstreams { get; set; } = [];
}
