using k8s;
using RagSuite.Deploy.Tests.Manifests;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The chart rendered strictly with values files and inline overrides (as <c>-f</c> files layered in order), and its
/// objects parsed strictly with KubernetesClient (custom resources through <see cref="Crds.CrdTypes"/>).
/// </summary>
internal sealed record RenderResult(int ExitCode, string Output, string Error)
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

    /// <summary>Every object, parsed strictly, or the render's error when it failed.</summary>
    public IReadOnlyList<object> Objects
    {
        get
        {
            Assert.True(ExitCode == 0, Error);
            return KubernetesManifests.LoadStrict(Output);
        }
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IKubernetesObject<k8s.Models.V1ObjectMeta> =>
        Assert.Single(All<T>(), o => o.Metadata.Name == name);
}
