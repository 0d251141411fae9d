using RagSuite.Deploy.Tests.Manifests;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// Where a real <c>helm</c> is on PATH, it renders every values case into exactly the objects chart-render renders, and
/// <c>helm lint --strict</c> passes: the renderer the other tests trust is checked against the tool users run.
/// </summary>
public sealed class HelmComparisonTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [HelmTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Helm_renders_the_same_objects_as_chart_render_and_lints_strictly(string values)
    {
        var files = ValuesCases.Files(values);
        string[] valueArguments = [.. files.SelectMany(f => new[] { "-f", f })];

        var (code, ours, error) = await renderer.RenderReleaseAsync(ChartRenderer.Chart, "ragsuite", "ragsuite", files);
        Assert.True(code == 0, error);
        var (helmCode, helms, helmError) = await ToolRun.RunAsync("helm", RepositoryPaths.Root,
            ["template", "ragsuite", ChartRenderer.Chart, "--namespace", "ragsuite", "--kube-version", "v1.30.0", .. valueArguments]);
        Assert.True(helmCode == 0, helmError);
        Assert.Equal(Canonical(helms), Canonical(ours));

        var (lintCode, lintOutput, lintError) = await ToolRun.RunAsync("helm", RepositoryPaths.Root,
            ["lint", "--strict", "--namespace", "ragsuite", ChartRenderer.Chart, .. valueArguments]);
        Assert.True(lintCode == 0, lintOutput + lintError);
    }

    /// <summary>Each document as JSON, sorted: Helm's "# Source:" comments and document order do not count.</summary>
    private static List<string> Canonical(string yaml) => [.. YamlJson.Documents(yaml).Order(StringComparer.Ordinal)];
}

/// <summary>Runs only where both helm and chart-render's build tools are present, saying which is missing otherwise.</summary>
public sealed class HelmTheoryAttribute : TheoryAttribute
{
    public HelmTheoryAttribute() =>
        Skip = ChartRendererTheoryAttribute.Missing
            ?? (ToolRun.OnPath("helm") ? null : "helm is not on PATH: the comparison with Helm runs where it is installed (https://helm.sh/docs/intro/install/).");
}
