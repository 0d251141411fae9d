using RagSuite.Testing;
using RagSuite.Testing.Monitoring;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The chart's monitoring objects (templates/monitoring): a PrometheusRule with exactly the rules file's groups, and a
/// Grafana-sidecar ConfigMap carrying exactly each dashboard's JSON; on in staging and prod, off by default and in dev.
/// </summary>
public sealed class MonitoringChartTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [ChartRendererTheory]
    [InlineData("values.yaml", false)]
    [InlineData("values-dev.yaml", false)]
    [InlineData("values-staging.yaml", true)]
    [InlineData("values-prod.yaml", true)]
    public async Task Rules_and_dashboards_ship_in_staging_and_prod_only(string values, bool shipped)
    {
        var documents = await RenderAsync(Path.Combine(ChartRenderer.Chart, values));

        Assert.Equal(shipped ? 1 : 0, documents.Count(d => Kind(d) == "PrometheusRule"));
        Assert.Equal(shipped ? MonitoringFiles.Dashboards.Count : 0, documents.Count(IsDashboard));
    }

    [ChartRendererTheory]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task The_prometheus_rule_holds_exactly_the_rules_file_and_the_operators_selector_label(string values)
    {
        var rule = (await RenderAsync(Path.Combine(ChartRenderer.Chart, values))).Single(d => Kind(d) == "PrometheusRule");

        Assert.Equal("monitoring.coreos.com/v1", rule["apiVersion"]);
        Assert.Equal(Expected(File.ReadAllText(MonitoringFiles.RulesFile)), Canonical(rule["spec"]));
        Assert.Equal("kube-prometheus-stack", Labels(rule)["release"]);
        Assert.Equal("ragsuite", Labels(rule)["app.kubernetes.io/name"]);
        // Prometheus, not Helm, fills these in: the file reaches the cluster with its templates untouched.
        Assert.Contains("{{ $labels.namespace }}", Canonical(rule["spec"]), StringComparison.Ordinal);
    }

    [ChartRendererTheory]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task Each_dashboard_configmap_carries_exactly_its_json_with_the_sidecar_label_and_folder(string values)
    {
        var dashboards = (await RenderAsync(Path.Combine(ChartRenderer.Chart, values))).Where(IsDashboard).ToList();

        Assert.All(MonitoringFiles.Dashboards, file =>
        {
            var key = "ragsuite-" + Path.GetFileName(file);
            var configMap = dashboards.Single(d => ((Dictionary<string, object?>)d["data"]!).ContainsKey(key));
            Assert.Equal(File.ReadAllText(file), ((Dictionary<string, object?>)configMap["data"]!)[key]);
            Assert.Equal("1", Labels(configMap)["grafana_dashboard"]);
            Assert.Equal("RagSuite", ((Dictionary<string, object?>)Metadata(configMap)["annotations"]!)["grafana_folder"]);
            Assert.Equal("ragsuite", Metadata(configMap)["namespace"]);
        });
    }

    [ChartRendererTheory]
    [InlineData("values-prod.yaml")]
    public async Task Runbook_links_and_the_dashboards_namespace_follow_their_values_and_nothing_else_changes(string values)
    {
        using var directory = new TemporaryDirectory("ragsuite-monitoring-values");
        var overrides = Path.Combine(directory.Path, "monitoring.yaml");
        await File.WriteAllTextAsync(overrides,
            "metrics:\n  prometheusRule:\n    runbookBaseUrl: https://wiki.example.com/ops/ragsuite-runbook\n" +
            "  dashboards:\n    namespace: monitoring\n    folder: \"\"\n    labels: {team: search}\n");

        var documents = await RenderAsync(Path.Combine(ChartRenderer.Chart, values), overrides);

        var spec = Canonical(documents.Single(d => Kind(d) == "PrometheusRule")["spec"]);
        var expected = File.ReadAllText(MonitoringFiles.RulesFile)
            .Replace("https://github.com/ragsuite/ragsuite/blob/main/deploy/RUNBOOK.md", "https://wiki.example.com/ops/ragsuite-runbook", StringComparison.Ordinal);
        Assert.Equal(Expected(expected), spec);
        Assert.Contains("https://wiki.example.com/ops/ragsuite-runbook#ragsuitegateway5xxratehigh", spec, StringComparison.Ordinal);
        var dashboard = documents.First(IsDashboard);
        Assert.Equal("monitoring", Metadata(dashboard)["namespace"]);
        Assert.False(Metadata(dashboard).ContainsKey("annotations"));
        Assert.Equal("1", Labels(dashboard)["grafana_dashboard"]);
        Assert.Equal("search", Labels(dashboard)["team"]);
    }

    private async Task<List<Dictionary<string, object?>>> RenderAsync(params string[] values)
    {
        var (code, output, error) = await renderer.RenderAsync(ChartRenderer.Chart, strict: true, values);
        Assert.True(code == 0, error);
        return [.. output.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(MonitoringFiles.ParseYaml).OfType<Dictionary<string, object?>>()];
    }

    private static string Kind(Dictionary<string, object?> document) => (string)document["kind"]!;

    private static bool IsDashboard(Dictionary<string, object?> document) =>
        Kind(document) == "ConfigMap" && Labels(document).ContainsKey("grafana_dashboard");

    private static Dictionary<string, object?> Metadata(Dictionary<string, object?> document) => (Dictionary<string, object?>)document["metadata"]!;

    private static Dictionary<string, object?> Labels(Dictionary<string, object?> document) => (Dictionary<string, object?>)Metadata(document)["labels"]!;

    private static string Expected(string rulesFile) => Canonical(MonitoringFiles.ParseYaml(rulesFile));

    /// <summary>A parsed YAML value as canonical JSON, so two documents compare as data, not as text.</summary>
    private static string Canonical(object? value) => System.Text.Json.JsonSerializer.Serialize(value);
}
