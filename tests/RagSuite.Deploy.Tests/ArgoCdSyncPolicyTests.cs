using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The ApplicationSet's environments: dev and staging sync, prune and self-heal on their own, prod waits for a person,
/// the rollout goes dev, staging, prod; HPA-managed replicas are ignored, and left alone by syncs, exactly where an
/// HPA scales them.
/// </summary>
public sealed class ArgoCdSyncPolicyTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [ChartRendererFact]
    public async Task Dev_and_staging_sync_automatically_with_prune_and_self_heal_and_prod_waits_for_a_person()
    {
        var objects = await AppsChart.RenderAsync(renderer);
        var template = AppsChart.ApplicationSet(objects).Get("spec", "template");

        // The shared template has no policy of its own: each environment's patch decides.
        Assert.Null(template.Find("spec", "syncPolicy", "automated"));
        Assert.Equal("{{ toJson .patch }}", AppsChart.ApplicationSet(objects).Text("spec", "templatePatch"));
        foreach (var environment in new[] { "dev", "staging" })
        {
            var automated = Patch(objects, environment).Get("spec", "syncPolicy", "automated");
            Assert.Equal("true", automated.Text("prune"));
            Assert.Equal("true", automated.Text("selfHeal"));
        }
        Assert.Null(Patch(objects, "prod").Find("spec", "syncPolicy"));
    }

    [ChartRendererFact]
    public async Task The_rolling_sync_goes_dev_then_staging_then_prod_and_never_syncs_prod_itself()
    {
        var applicationSet = AppsChart.ApplicationSet(await AppsChart.RenderAsync(renderer));
        var steps = applicationSet.Items("spec", "strategy", "rollingSync", "steps");

        Assert.Equal("RollingSync", applicationSet.Text("spec", "strategy", "type"));
        Assert.Equal(["dev", "staging", "prod"], steps.Select(s => s.Items("matchExpressions").Single().Items("values").Single().Text()));
        Assert.All(steps, s => Assert.Equal("env", s.Items("matchExpressions").Single().Text("key")));
        Assert.Equal("{{ .env }}", applicationSet.Text("spec", "template", "metadata", "labels", "env"));
        Assert.Null(steps[0].Find("maxUpdate"));
        Assert.Null(steps[1].Find("maxUpdate"));
        Assert.Equal("0", steps[2].Text("maxUpdate"));
        Assert.Equal("true", applicationSet.Text("spec", "syncPolicy", "preserveResourcesOnDeletion"));
    }

    [ChartRendererFact]
    public async Task Generated_applications_create_their_namespace_prune_last_respect_ignored_fields_and_retry()
    {
        var spec = AppsChart.ApplicationSet(await AppsChart.RenderAsync(renderer)).Get("spec", "template", "spec");

        Assert.Equal(["CreateNamespace=true", "PruneLast=true", "RespectIgnoreDifferences=true"],
            spec.Items("syncPolicy", "syncOptions").Select(o => o.Text()));
        Assert.True(int.Parse(spec.Text("syncPolicy", "retry", "limit")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("charts/ragsuite", spec.Text("source", "path"));
        Assert.Equal(["values-{{ .env }}.yaml"], spec.Items("source", "helm", "valueFiles").Select(f => f.Text()));
        Assert.Equal("ragsuite-{{ .env }}", spec.Text("destination", "namespace"));
        Assert.Equal("ragsuite", spec.Text("project"));
    }

    [ChartRendererTheory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public async Task Replicas_are_ignored_exactly_on_the_deployments_an_HPA_scales_in_the_environment(string environment)
    {
        var release = $"ragsuite-{environment}";
        var (code, output, error) = await renderer.RenderReleaseAsync(ChartRenderer.Chart, release, release,
            Path.Combine(ChartRenderer.Chart, $"values-{environment}.yaml"));
        Assert.True(code == 0, error);
        var chart = YamlManifests.Load(output);
        var scaled = chart.Where(o => o.Kind() == "HorizontalPodAutoscaler")
            .Select(h => (h.Text("spec", "scaleTargetRef", "kind"), h.Text("spec", "scaleTargetRef", "name"))).ToList();

        var ignored = Patch(await AppsChart.RenderAsync(renderer), environment).Items("spec", "ignoreDifferences");

        Assert.Equal(scaled.Select(s => s.Item2).Order(StringComparer.Ordinal), ignored.Select(i => i.Text("name")).Order(StringComparer.Ordinal));
        Assert.All(scaled, s => Assert.Equal("Deployment", s.Item1));
        Assert.All(ignored, i =>
        {
            Assert.Equal(("apps", "Deployment"), (i.Text("group"), i.Text("kind")));
            Assert.Equal(["/spec/replicas"], i.Items("jsonPointers").Select(p => p.Text()));
            // The chart leaves the count to the HPA too.
            var deployment = chart.Single(o => o.Kind() == "Deployment" && o.Name() == i.Text("name"));
            Assert.Null(deployment.Find("spec", "replicas"));
        });
    }

    private static YamlNode Patch(IReadOnlyList<YamlMappingNode> objects, string environment)
    {
        // The patch is JSON (a flow mapping), read as YAML like Argo CD's templatePatch.
        var patch = AppsChart.Element(objects, environment).Get("patch");
        Assert.IsType<YamlMappingNode>(patch);
        return patch;
    }
}
