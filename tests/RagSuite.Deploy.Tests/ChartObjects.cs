using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The built-in Kubernetes objects one render of the chart produced, parsed strictly into KubernetesClient's types and
/// found by kind and name. Custom resources (ServiceMonitor and the like) are kept as text only.
/// </summary>
public sealed partial class ChartObjects
{
    private readonly Dictionary<(string Kind, string Name), string> _documents = [];

    private ChartObjects(string rendered)
    {
        foreach (var document in rendered.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var kind = KindLine().Match(document);
            var name = NameLine().Match(document);
            if (kind.Success && name.Success) _documents[(kind.Groups[1].Value, name.Groups[1].Value)] = document;
        }
    }

    public const string Release = "ragsuite";

    /// <summary>Renders the chart strictly over the given values files and inline values (each a YAML document); fails the test on a render error.</summary>
    public static async Task<ChartObjects> RenderAsync(ChartRenderer renderer, IEnumerable<string> valuesFiles, params string[] inlineValues)
    {
        var (code, output, error) = await RenderRawAsync(renderer, valuesFiles, inlineValues);
        Assert.True(code == 0, $"chart-render failed: {error}");
        return new ChartObjects(output);
    }

    /// <summary>Renders the chart strictly; the exit code and what chart-render printed, for checks of failures.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RenderRawAsync(ChartRenderer renderer, IEnumerable<string> valuesFiles,
        params string[] inlineValues)
    {
        using var directory = new TemporaryDirectory("ragsuite-values");
        var files = valuesFiles.Select(f => Path.Combine(ChartRenderer.Chart, f)).ToList();
        for (var i = 0; i < inlineValues.Length; i++)
        {
            var file = Path.Combine(directory.Path, $"values-{i}.yaml");
            await File.WriteAllTextAsync(file, inlineValues[i]);
            files.Add(file);
        }
        return await renderer.RenderAsync(ChartRenderer.Chart, strict: true, [.. files]);
    }

    public bool Has(string kind, string name) => _documents.ContainsKey((kind, name));

    public IEnumerable<string> Names(string kind) => _documents.Keys.Where(k => k.Kind == kind).Select(k => k.Name);

    public T Get<T>(string kind, string name)
    {
        Assert.True(_documents.TryGetValue((kind, name), out var document), $"the chart rendered no {kind} {name}; it has: {string.Join(", ", _documents.Keys)}");
        return KubernetesYaml.Deserialize<T>(document, strict: true);
    }

    public V1Deployment Deployment(string component) => Get<V1Deployment>("Deployment", $"{Release}-{component}");

    public V1ConfigMap ConfigMap(string component) => Get<V1ConfigMap>("ConfigMap", $"{Release}-{component}");

    public static V1Container Container(V1Deployment deployment, string name) =>
        Assert.Single(deployment.Spec.Template.Spec.Containers, c => c.Name == name);

    [GeneratedRegex(@"^kind:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLine();

    [GeneratedRegex(@"^metadata:\s*\n  name:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex NameLine();
}
