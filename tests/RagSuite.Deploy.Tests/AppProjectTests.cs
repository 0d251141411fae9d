using RagSuite.Deploy.Tests.Manifests;
using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The ragsuite project admits exactly what its Applications deploy: every kind the chart renders for every values
/// file (hooks included, the helm test pod aside, which Argo CD skips), into the environments' namespaces only.
/// </summary>
public sealed class AppProjectTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_kind_the_chart_renders_is_allowed_by_the_project(string values)
    {
        var allowed = Kinds(await Project(), "namespaceResourceWhitelist");
        var (code, output, error) = await renderer.RenderAsync(ChartRenderer.Chart, strict: true, ValuesCases.Files(values));
        Assert.True(code == 0, error);

        var synced = YamlManifests.Load(output).Where(o => !IsHelmTest(o)).ToList();

        Assert.NotEmpty(synced);
        Assert.All(synced, o => Assert.True(allowed.Contains((o.Group(), o.Kind())),
            $"{values}: {o.Kind()} {o.Name()} (group \"{o.Group()}\") is not in the ragsuite project's namespaceResourceWhitelist"));
    }

    [ChartRendererFact]
    public async Task The_project_deploys_only_into_the_environments_namespaces_and_creates_nothing_cluster_wide_but_them()
    {
        var objects = await AppsChart.RenderAsync(renderer);
        var project = objects.Single(o => o.Kind() == "AppProject");
        var environments = AppsChart.Elements(objects).Select(e => $"ragsuite-{e.Text("env")}");

        Assert.Equal(environments, project.Items("spec", "destinations").Select(d => d.Text("namespace")));
        Assert.Equal([("", "Namespace")], Kinds(project, "clusterResourceWhitelist"));
        Assert.DoesNotContain(Kinds(project, "namespaceResourceWhitelist"), k => k.Group == "argoproj.io" || k.Group.StartsWith("rbac", StringComparison.Ordinal));
        Assert.Equal([AppsChart.RepoUrl(), "https://qdrant.github.io/qdrant-helm"], project.Items("spec", "sourceRepos").Select(r => r.Text()));
    }

    private static bool IsHelmTest(YamlNode o) =>
        o.Text("metadata", "annotations", "helm.sh/hook") is { } hook && hook.Split(',').Contains("test")
        && o.Find("metadata", "annotations", "argocd.argoproj.io/hook") is null;

    private async Task<YamlMappingNode> Project() =>
        (await AppsChart.RenderAsync(renderer)).Single(o => o.Kind() == "AppProject" && o.Name() == "ragsuite");

    private static List<(string Group, string Kind)> Kinds(YamlNode project, string list) =>
        project.Items("spec", list).Select(k => (k.Text("group") ?? "", k.Text("kind") ?? "")).ToList();
}
