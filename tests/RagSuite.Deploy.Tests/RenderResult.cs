using System.Text.RegularExpressions;
using k8s;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The chart rendered strictly with values files and inline overrides (as <c>-f</c> files layered in order), and its
/// built-in Kubernetes objects parsed strictly with KubernetesClient (custom resources such as ServiceMonitor are left
/// out: KubernetesClient has no types for them).
/// </summary>
internal sealed partial record RenderResult(int ExitCode, string Output, string Error)
{
    public static async Task<RenderResult> RenderAsync(ChartRenderer renderer, string? overrides, params string[] valuesFiles)
    {
        using var directory = new TemporaryDirectory("ragsuite-values");
        var files = valuesFiles.Select(f => Path.Combine(ChartRenderer.Chart, f)).ToList();
        if (overrides is not null)
        {
            var file = Path.Combine(directory.Path, "overrides.yaml");
            await File.WriteAllTextAsync(file, overrides);
            files.Add(file);
        }
        var (code, output, error) = await renderer.RenderAsync(ChartRenderer.Chart, strict: true, [.. files]);
        return new RenderResult(code, output, error);
    }

    /// <summary>Every built-in object, or the render's error when it failed.</summary>
    public IReadOnlyList<object> Objects
    {
        get
        {
            Assert.True(ExitCode == 0, Error);
            var builtIn = Output.Split("\n---\n").Where(d => ApiVersion().Match(d) is { Success: true } m && IsBuiltIn(m.Groups[1].Value));
            return KubernetesYaml.LoadAllFromString(string.Join("\n---\n", builtIn), strict: true);
        }
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IKubernetesObject<k8s.Models.V1ObjectMeta> =>
        Assert.Single(All<T>(), o => o.Metadata.Name == name);

    /// <summary>Core (v1) and the k8s.io groups: apps/v1, batch/v1, policy/v1, autoscaling/v2, networking.k8s.io/v1.</summary>
    private static bool IsBuiltIn(string apiVersion) =>
        !apiVersion.Contains('/', StringComparison.Ordinal) || apiVersion.Split('/')[0] is var group && (!group.Contains('.', StringComparison.Ordinal) || group.EndsWith(".k8s.io", StringComparison.Ordinal));

    [GeneratedRegex(@"^apiVersion: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex ApiVersion();
}
