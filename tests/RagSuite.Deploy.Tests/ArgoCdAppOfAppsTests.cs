using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The app of apps: argocd/root.yaml is the one file applied by hand and the one place the repository URL is written;
/// what it syncs (argocd/ragsuite-apps) puts the project, the ApplicationSet and Qdrant under GitOps, in sync waves.
/// </summary>
public sealed class ArgoCdAppOfAppsTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [Fact]
    public void The_root_application_syncs_the_apps_chart_and_passes_it_its_own_repository_URL()
    {
        var root = AppsChart.RootApplication();

        Assert.Equal("argocd/ragsuite-apps", root.Text("spec", "source", "path"));
        var parameter = Assert.Single(root.Items("spec", "source", "helm", "parameters"));
        Assert.Equal("repoURL", parameter.Text("name"));
        Assert.Equal("$ARGOCD_APP_SOURCE_REPO_URL", parameter.Text("value"));
        Assert.Equal("true", root.Text("spec", "syncPolicy", "automated", "prune"));
        Assert.Equal("true", root.Text("spec", "syncPolicy", "automated", "selfHeal"));
    }

    [Fact]
    public void The_repository_URL_is_written_once_in_argocd_and_its_project_reuses_it()
    {
        var url = AppsChart.RepoUrl();
        var project = AppsChart.RootObjects().Single(o => o.Kind() == "AppProject");

        Assert.StartsWith("https://", url, StringComparison.Ordinal);
        Assert.Equal([url], project.Items("spec", "sourceRepos").Select(r => r.Text()));
        var written = Directory.EnumerateFiles(AppsChart.ArgoCd, "*", SearchOption.AllDirectories)
            .Sum(file => Occurrences(File.ReadAllText(file), url));
        Assert.Equal(1, written);
    }

    [ChartRendererFact]
    public async Task Every_rendered_source_is_the_root_repository_or_Qdrants_chart_repository()
    {
        var url = AppsChart.RepoUrl();
        var objects = await AppsChart.RenderAsync(renderer);

        var sources = objects.SelectMany(o => o.ValuesOf("repoURL")).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.Contains(s, new[] { url, "https://qdrant.github.io/qdrant-helm" }));
        Assert.Equal(url, AppsChart.ApplicationSet(objects).Text("spec", "template", "spec", "source", "repoURL"));
        Assert.All(objects.Where(o => o.Kind() == "Application"), a => Assert.Contains(url, a.ValuesOf("repoURL")));
        Assert.Contains(url, objects.Single(o => o.Kind() == "AppProject").Items("spec", "sourceRepos").Select(r => r.Text()));
    }

    [ChartRendererFact]
    public async Task The_project_comes_first_then_Qdrant_then_the_RagSuite_applications()
    {
        var objects = await AppsChart.RenderAsync(renderer);
        var project = AppsChart.Wave(objects.Single(o => o.Kind() == "AppProject"));
        var applicationSet = AppsChart.Wave(AppsChart.ApplicationSet(objects));
        var qdrant = objects.Where(o => o.Kind() == "Application" && o.Name().StartsWith("qdrant-", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(qdrant);
        Assert.All(qdrant, q => Assert.True(project < AppsChart.Wave(q) && AppsChart.Wave(q) < applicationSet,
            $"waves: project {project}, {q.Name()} {AppsChart.Wave(q)}, ApplicationSet {applicationSet}"));
        // Waves between Applications wait on health only with the Application health check in argocd-cm.
        var health = YamlManifests.Load(await File.ReadAllTextAsync(Path.Combine(AppsChart.ArgoCd, "argocd-cm-application-health.yaml"))).Single();
        Assert.Contains("obj.status.health.status", health.Text("data", "resource.customizations.health.argoproj.io_Application"), StringComparison.Ordinal);
    }

    [ChartRendererFact]
    public async Task Qdrant_is_its_own_application_from_the_official_chart_with_this_repositorys_values_where_an_environment_uses_it()
    {
        var url = AppsChart.RepoUrl();
        var objects = await AppsChart.RenderAsync(renderer);
        var applications = objects.Where(o => o.Kind() == "Application").ToDictionary(a => a.Name());

        Assert.Equal(["qdrant-prod", "qdrant-staging"], applications.Keys.Order(StringComparer.Ordinal));
        foreach (var environment in new[] { "staging", "prod" })
        {
            var qdrant = applications[$"qdrant-{environment}"];
            var sources = qdrant.Items("spec", "sources");
            var chart = sources.Single(s => s.Text("chart") is not null);
            var values = sources.Single(s => s.Text("ref") is not null);

            Assert.Equal("https://qdrant.github.io/qdrant-helm", chart.Text("repoURL"));
            Assert.Equal("qdrant", chart.Text("chart"));
            Assert.Matches(@"^\d+\.\d+\.\d+$", chart.Text("targetRevision"));
            Assert.Equal("qdrant", chart.Text("helm", "releaseName"));
            Assert.Equal([$"$values/deploy/qdrant/values-{environment}.yaml"], chart.Items("helm", "valueFiles").Select(f => f.Text()));
            Assert.Equal(url, values.Text("repoURL"));
            Assert.Equal("values", values.Text("ref"));
            Assert.Equal(AppsChart.Element(objects, environment).Text("targetRevision"), values.Text("targetRevision"));
            Assert.Equal($"ragsuite-{environment}", qdrant.Text("spec", "destination", "namespace"));
            Assert.Equal("ragsuite", qdrant.Text("spec", "project"));
            // Self-heal everywhere (a manual Qdrant would hold the root sync at its wave); no cascade on deletion.
            Assert.Equal("true", qdrant.Text("spec", "syncPolicy", "automated", "selfHeal"));
            Assert.Null(qdrant.Find("metadata", "finalizers"));
        }
        Assert.Equal("false", applications["qdrant-prod"].Text("spec", "syncPolicy", "automated", "prune"));
    }

    [ChartRendererFact]
    public async Task Everything_the_root_application_syncs_is_allowed_by_its_own_project()
    {
        var project = AppsChart.RootObjects().Single(o => o.Kind() == "AppProject");
        var allowed = project.Items("spec", "namespaceResourceWhitelist").Select(k => (k.Text("group"), k.Text("kind"))).ToHashSet();
        var destinations = project.Items("spec", "destinations").Select(d => d.Text("namespace")).ToHashSet();

        Assert.Equal(project.Name(), AppsChart.RootApplication().Text("spec", "project"));
        Assert.Empty(project.Items("spec", "clusterResourceWhitelist"));
        Assert.All(await AppsChart.RenderAsync(renderer), o =>
        {
            Assert.Contains((o.Group(), o.Kind()), allowed);
            Assert.Contains(o.Text("metadata", "namespace"), destinations);
        });
    }

    [ChartRendererTheory]
    [InlineData("repoURL: \"\"\n", "repoURL is required")]
    [InlineData("repoURL: github.com/ragsuite/ragsuite\n", "is not a Git URL")]
    [InlineData("repoURL: https://example.com/r.git\ndestinationServer: \"\"\n", "destinationServer is required")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments: []\n", "environments is empty")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments:\n  - {name: Prod, targetRevision: main, sync: manual, autoscaled: [], qdrant: false}\n", "environments[0].name \"Prod\" must be")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments:\n  - {name: a-very-long-environment-name-over-31, targetRevision: main, sync: manual, autoscaled: [], qdrant: false}\n", "must be 1-31")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments:\n  - {name: dev, targetRevision: main, sync: automated, autoscaled: [], qdrant: false}\n  - {name: dev, targetRevision: main, sync: automated, autoscaled: [], qdrant: false}\n", "environments[1].name \"dev\" appears twice")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments:\n  - {name: dev, targetRevision: \"\", sync: automated, autoscaled: [], qdrant: false}\n", "(dev): targetRevision is required")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments:\n  - {name: dev, targetRevision: main, sync: auto, autoscaled: [], qdrant: false}\n", "sync must be automated or manual, not auto")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments:\n  - {name: dev, targetRevision: main, sync: automated, autoscaled: gateway, qdrant: false}\n", "autoscaled must be a list")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments:\n  - {name: dev, targetRevision: main, sync: automated, autoscaled: [frontend], qdrant: false}\n", "autoscaled lists \"frontend\"")]
    [InlineData("repoURL: https://example.com/r.git\nenvironments:\n  - {name: dev, targetRevision: main, sync: automated, autoscaled: [], qdrant: \"yes\"}\n", "qdrant must be true or false")]
    [InlineData("repoURL: https://example.com/r.git\nqdrant: {version: latest}\n", "qdrant.version \"latest\" must pin an exact chart version")]
    public async Task Bad_values_fail_the_render_with_a_message_naming_the_value(string values, string expected)
    {
        var (code, _, error) = await AppsChart.RenderAsync(renderer, values);

        Assert.NotEqual(0, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
