using System.Text.Json.Nodes;
using RagSuite.Deploy.Tests.Manifests;
using RagSuite.Testing;
using Xunit.Abstractions;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// Every values case's rendered objects hold to <see cref="ManifestRules"/>: resources, probes, security contexts, Services,
/// NetworkPolicies, ConfigMap and Secret references, no secret outside a Secret, HPAs, PDBs, and GPUs in prod.
/// RuleDetectionTests shows each rule catching the defect it is for.
/// </summary>
[Collection(RenderedChartGroup.Name)]
public sealed class ManifestRuleTests(RenderedCharts charts, ITestOutputHelper output)
{
    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_container_and_init_container_requests_cpu_and_memory_and_limits_memory(string values) =>
        AssertNone(ManifestRules.Resources(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_long_running_container_has_startup_liveness_and_readiness_probes_on_its_own_ports(string values) =>
        AssertNone(ManifestRules.Probes(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_container_runs_non_root_unprivileged_with_all_capabilities_dropped_a_read_only_root_and_runtime_default_seccomp(string values) =>
        AssertNone(ManifestRules.SecurityContexts(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_service_selects_rendered_pods_and_targets_ports_they_declare(string values) =>
        AssertNone(ManifestRules.Services(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_network_policy_selects_rendered_pods_and_names_only_rendered_or_declared_peers(string values) =>
        AssertNone(ManifestRules.NetworkPolicies(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_config_map_and_secret_a_pod_uses_is_rendered_or_named_in_values(string values) =>
        AssertNone(ManifestRules.ConfigReferences(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task No_config_map_entry_or_literal_env_value_is_named_like_a_key_token_password_or_secret(string values) =>
        AssertNone(ManifestRules.SecretLookingLiterals(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_hpa_scales_a_rendered_workload_that_leaves_replicas_to_it(string values) =>
        AssertNone(ManifestRules.Autoscalers(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_pod_disruption_budget_selects_a_rendered_workloads_pods(string values) =>
        AssertNone(ManifestRules.DisruptionBudgets(await charts.GetAsync(values)));

    [ChartRendererTheory]
    [InlineData(ValuesCases.Prod)]
    [InlineData(ValuesCases.AllFeatures)]
    public async Task In_prod_the_embedder_and_reranker_request_nvidia_gpus(string values) =>
        AssertNone(ManifestRules.GpuRequests(await charts.GetAsync(values)));

    /// <summary>
    /// Every value the schema names like a secret (apiKey, password, token, ...) set to a marker, over all features on:
    /// the marker may reach a Secret's data, never a ConfigMap, an env literal, an annotation or any other object.
    /// </summary>
    [ChartRendererTheory]
    [InlineData(ValuesCases.AllFeatures)]
    public async Task A_secret_value_planted_in_every_secret_bearing_value_appears_only_inside_Secrets(string values)
    {
        var paths = SecretValues.Paths(Path.Combine(ChartRenderer.Chart, "values.schema.json"));
        output.WriteLine(paths.Count == 0
            ? "The schema has no value that carries a secret itself: every secret comes by Secret name."
            : $"Planted in: {string.Join(", ", paths)}");
        using var directory = new TemporaryDirectory("ragsuite-planted");
        var planted = Path.Combine(directory.Path, "planted.yaml");
        await File.WriteAllTextAsync(planted, SecretValues.ValuesYaml(paths));

        var chart = await charts.RenderAsync("planted secrets", [.. ValuesCases.Files(values), planted]);

        var leaks = chart.Json.Select(j => JsonNode.Parse(j)!)
            .Where(o => (string?)o["kind"] != "Secret" && o.ToJsonString().Contains(SecretValues.Marker, StringComparison.Ordinal))
            .Select(o => $"{o["kind"]}/{o["metadata"]?["name"]}");
        AssertNone(leaks);
    }

    private static void AssertNone(IEnumerable<string> violations)
    {
        var found = violations.ToList();
        Assert.True(found.Count == 0, $"{found.Count} violation(s):\n" + string.Join("\n", found));
    }
}
