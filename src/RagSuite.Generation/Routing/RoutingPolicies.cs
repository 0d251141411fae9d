namespace RagSuite.Generation.Routing;

/// <summary>The names of the routing policies, as configuration spells them.</summary>
public static class RoutingPolicies
{
    public const string PrimaryWithFallback = "primary-with-fallback";
    public const string RoundRobin = "round-robin";
    public const string LeastLatency = "least-latency";
    public const string Rules = "rules";
}
