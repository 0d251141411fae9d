using RagSuite.Testing;
using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The Argo CD layer: argocd/root.yaml (applied by hand) and the chart argocd/ragsuite-apps it syncs, rendered as
/// Argo CD renders it (release ragsuite-root in namespace argocd, repoURL passed from the root Application's source).
/// </summary>
internal static class AppsChart
{
    public static string ArgoCd { get; } = Path.Combine(RepositoryPaths.Root, "argocd");

    public static string Chart { get; } = Path.Combine(ArgoCd, "ragsuite-apps");

    public static string RootFile { get; } = Path.Combine(ArgoCd, "root.yaml");

    public static IReadOnlyList<YamlMappingNode> RootObjects() => YamlManifests.Load(File.ReadAllText(RootFile));

    public static YamlMappingNode RootApplication() => RootObjects().Single(o => o.Kind() == "Application");

    /// <summary>The repository URL as root.yaml sets it.</summary>
    public static string RepoUrl() => RootApplication().Text("spec", "source", "repoURL")
        ?? throw new Xunit.Sdk.XunitException("argocd/root.yaml: the root Application has no spec.source.repoURL");

    /// <summary>Renders the chart with these values (YAML) over its values.yaml; the exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RenderAsync(ChartRenderer renderer, string values)
    {
        using var directory = new TemporaryDirectory("ragsuite-apps-values");
        var file = Path.Combine(directory.Path, "values.yaml");
        await File.WriteAllTextAsync(file, values);
        return await renderer.RenderReleaseAsync(Chart, "ragsuite-root", "argocd", file);
    }

    /// <summary>What the root Application syncs: the chart with repoURL from root.yaml, as Argo CD passes it.</summary>
    public static async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(ChartRenderer renderer)
    {
        var (code, output, error) = await RenderAsync(renderer, $"repoURL: {RepoUrl()}\n");
        Assert.True(code == 0, $"argocd/ragsuite-apps failed to render:\n{error}");
        return YamlManifests.Load(output);
    }

    /// <summary>The ApplicationSet's list elements: one per environment, in rollout order.</summary>
    public static IReadOnlyList<YamlNode> Elements(IReadOnlyList<YamlMappingNode> objects) =>
        ApplicationSet(objects).Get("spec", "generators").Items().Single().Items("list", "elements");

    public static YamlMappingNode ApplicationSet(IReadOnlyList<YamlMappingNode> objects) => objects.Single(o => o.Kind() == "ApplicationSet");

    public static YamlNode Element(IReadOnlyList<YamlMappingNode> objects, string environment) =>
        Elements(objects).Single(e => e.Text("env") == environment);

    /// <summary>The sync wave of an object (0 where it has none, as in Argo CD).</summary>
    public static int Wave(YamlNode node) => int.Parse(node.Text("metadata", "annotations", "argocd.argoproj.io/sync-wave") ?? "0",
        System.Globalization.CultureInfo.InvariantCulture);
}
