using YamlDotNet.Serialization;

namespace RagSuite.Deploy.Tests.Crds;

/// <summary>monitoring.coreos.com/v1 PrometheusRule: recording and alerting rule groups, as in a Prometheus rules file.</summary>
public sealed class PrometheusRule : CustomResource<PrometheusRuleSpec>;

public sealed class PrometheusRuleSpec
{
    public List<RuleGroup>? Groups { get; set; }
}

public sealed class RuleGroup
{
    public string? Name { get; set; }

    public string? Interval { get; set; }

    [YamlMember(Alias = "query_offset", ApplyNamingConventions = false)]
    public string? QueryOffset { get; set; }

    public long? Limit { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    [YamlMember(Alias = "partial_response_strategy", ApplyNamingConventions = false)]
    public string? PartialResponseStrategy { get; set; }

    public List<Rule>? Rules { get; set; }
}

public sealed class Rule
{
    public string? Record { get; set; }

    public string? Alert { get; set; }

    public string? Expr { get; set; }

    public string? For { get; set; }

    [YamlMember(Alias = "keep_firing_for", ApplyNamingConventions = false)]
    public string? KeepFiringFor { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}
