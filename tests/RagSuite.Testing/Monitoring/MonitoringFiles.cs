using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace RagSuite.Testing.Monitoring;

/// <summary>One rule of the rules file: a recording rule (<see cref="Record"/>) or an alert (<see cref="Alert"/>).</summary>
public sealed record PrometheusRule(string Group, string? Record, string? Alert, string Expr,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations)
{
    public string Name => Record ?? Alert!;
}

/// <summary>A PromQL expression of a dashboard, with Grafana's variables replaced, and where it came from.</summary>
public sealed record DashboardExpression(string Dashboard, string Where, string Expr);

/// <summary>
/// The monitoring files the chart ships, read as Prometheus and Grafana read them: the rules (and their promtool unit
/// tests) under charts/ragsuite/files/prometheus, the dashboards under charts/ragsuite/files/grafana, and the runbook.
/// </summary>
public static partial class MonitoringFiles
{
    public static string PrometheusDirectory { get; } = Path.Combine(RepositoryPaths.Root, "charts", "ragsuite", "files", "prometheus");

    public static string RulesFile { get; } = Path.Combine(PrometheusDirectory, "ragsuite-rules.yaml");

    public static string RulesTestFile { get; } = Path.Combine(PrometheusDirectory, "ragsuite-rules.test.yaml");

    public static string GrafanaDirectory { get; } = Path.Combine(RepositoryPaths.Root, "charts", "ragsuite", "files", "grafana");

    public static string Runbook { get; } = Path.Combine(RepositoryPaths.Root, "deploy", "RUNBOOK.md");

    public static IReadOnlyList<string> Dashboards => [.. Directory.GetFiles(GrafanaDirectory, "*.json").Order(StringComparer.Ordinal)];

    /// <summary>Parses YAML into plain objects: mappings as dictionaries with string keys, sequences as lists, scalars as strings.</summary>
    public static object? ParseYaml(string text) => Plain(new DeserializerBuilder().Build().Deserialize<object?>(text));

    public static IReadOnlyList<PrometheusRule> Rules()
    {
        var file = (Dictionary<string, object?>)ParseYaml(File.ReadAllText(RulesFile))!;
        var rules = new List<PrometheusRule>();
        foreach (var group in ((List<object?>)file["groups"]!).Cast<Dictionary<string, object?>>())
        {
            foreach (var rule in ((List<object?>)group["rules"]!).Cast<Dictionary<string, object?>>())
            {
                rules.Add(new PrometheusRule((string)group["name"]!, rule.GetValueOrDefault("record") as string, rule.GetValueOrDefault("alert") as string,
                    (string)rule["expr"]!, Strings(rule.GetValueOrDefault("labels")), Strings(rule.GetValueOrDefault("annotations"))));
            }
        }
        return rules;
    }

    /// <summary>
    /// Every PromQL expression in every dashboard: each panel target's <c>expr</c> and the selector inside each query
    /// variable's <c>label_values(...)</c>, with Grafana's variables replaced by values of the right shape.
    /// </summary>
    public static IReadOnlyList<DashboardExpression> DashboardExpressions()
    {
        var found = new List<DashboardExpression>();
        foreach (var file in Dashboards)
        {
            var dashboard = JsonNode.Parse(File.ReadAllText(file))!;
            var name = Path.GetFileName(file);
            var variables = Variables(dashboard);
            foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
            {
                if ((string?)variable!["type"] != "query") continue;
                var query = variable["query"] is JsonObject q ? (string?)q["query"] : (string?)variable["query"];
                if (query is null) continue;
                var selector = LabelValues().Match(query);
                found.Add(new(name, $"variable {variable["name"]}", Substitute(selector.Success ? selector.Groups["selector"].Value : query, variables)));
            }
            foreach (var panel in Panels(dashboard["panels"]))
            {
                foreach (var target in panel["targets"]?.AsArray() ?? [])
                {
                    if ((string?)target!["expr"] is { Length: > 0 } expr)
                    {
                        found.Add(new(name, $"panel {panel["id"]} '{panel["title"]}' target {target["refId"]}", Substitute(expr, variables)));
                    }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Replaces Grafana's variables in <paramref name="expr"/>: the dashboard's own (their "all" value or a namespace-shaped
    /// name) and Grafana's built-in intervals. An unknown variable is left as it is, for the caller's check to find.
    /// </summary>
    public static string Substitute(string expr, IReadOnlyDictionary<string, string> variables) =>
        GrafanaVariable().Replace(expr, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Success ? m.Groups["plain"].Value : m.Groups["square"].Value;
            return variables.TryGetValue(name, out var value) ? value : m.Value;
        });

    /// <summary>Grafana's built-in variables that can appear in a PromQL expression, with values of the right shape.</summary>
    public static IReadOnlyDictionary<string, string> BuiltInVariables { get; } = new Dictionary<string, string>
    {
        ["__rate_interval"] = "2m",
        ["__interval"] = "30s",
        ["__interval_ms"] = "30000",
        ["__range"] = "6h",
        ["__range_s"] = "21600",
        ["__range_ms"] = "21600000",
    };

    private static Dictionary<string, string> Variables(JsonNode dashboard)
    {
        var variables = new Dictionary<string, string>(BuiltInVariables);
        foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
        {
            var name = (string)variable!["name"]!;
            // A multi-value or "All" selection becomes a regex alternative; the variable's allValue is what "All" sends.
            variables[name] = (string?)variable["allValue"] ?? (string?)variable["type"] switch
            {
                "datasource" => "prometheus",
                "interval" => "5m",
                _ => "ragsuite-prod",
            };
        }
        return variables;
    }

    private static IEnumerable<JsonNode> Panels(JsonNode? panels)
    {
        foreach (var panel in panels?.AsArray() ?? [])
        {
            yield return panel!;
            foreach (var inner in Panels(panel!["panels"])) yield return inner;
        }
    }

    private static Dictionary<string, string> Strings(object? map) =>
        map is Dictionary<string, object?> values ? values.ToDictionary(p => p.Key, p => (string)p.Value!) : [];

    private static object? Plain(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(p => (string)p.Key, p => Plain(p.Value)),
        IList<object?> list => list.Select(Plain).ToList(),
        _ => node,
    };

    [GeneratedRegex(@"^\s*label_values\((?<selector>.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\$\{(?<braced>[a-zA-Z0-9_]+)(:[a-z]+)?\}|\$(?<plain>[a-zA-Z0-9_]+)|\[\[(?<square>[a-zA-Z0-9_]+)\]\]")]
    private static partial Regex GrafanaVariable();
}
