using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests.Manifests;

/// <summary>One values case rendered: the YAML text, its objects parsed strictly, and each object as a line of JSON.</summary>
/// <param name="SecretsNamedInValues">Secret names the values point at (every *existingSecret and *secretName value):
/// Secrets that exist before the chart is installed, which pods may refer to without the chart rendering them.</param>
public sealed record RenderedChart(string Case, string Yaml, IReadOnlyList<object> Objects, IReadOnlyList<string> Json,
    IReadOnlySet<string> SecretsNamedInValues)
{
    /// <summary>The same render parsed afresh, for a check that changes objects.</summary>
    public RenderedChart Reparsed() => this with { Objects = KubernetesManifests.LoadStrict(Yaml) };
}

/// <summary>
/// The chart rendered once per values case for every test class in <see cref="RenderedChartGroup"/>, with one build
/// of tools/chart-render between them.
/// </summary>
public sealed partial class RenderedCharts : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RenderedChart>>> _rendered = new();

    public ChartRenderer Renderer { get; } = new();

    public Task<RenderedChart> GetAsync(string valuesCase) =>
        _rendered.GetOrAdd(valuesCase, c => new(() => RenderAsync(c, ValuesCases.Files(c)))).Value;

    /// <summary>Renders with values files of the caller's (not cached).</summary>
    public async Task<RenderedChart> RenderAsync(string name, params string[] valuesFiles)
    {
        var (code, yaml, error) = await Renderer.RenderAsync(ChartRenderer.Chart, strict: true, valuesFiles);
        if (code != 0) throw new InvalidOperationException($"{name} does not render:\n{error}");
        var (jsonCode, json, jsonError) = await Renderer.RunAsync([.. valuesFiles.SelectMany(f => new[] { "-f", f }), "-strict", "-json", ChartRenderer.Chart]);
        if (jsonCode != 0) throw new InvalidOperationException($"{name} does not render as JSON:\n{jsonError}");
        var secrets = new[] { Path.Combine(ChartRenderer.Chart, "values.yaml") }.Concat(valuesFiles).SelectMany(SecretNames).ToHashSet(StringComparer.Ordinal);
        return new RenderedChart(name, yaml, KubernetesManifests.LoadStrict(yaml),
            json.Split('\n', StringSplitOptions.RemoveEmptyEntries), secrets);
    }

    private static IEnumerable<string> SecretNames(string valuesFile)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(valuesFile)) stream.Load(reader);
        return stream.Documents.SelectMany(d => Scalars(d.RootNode))
            .Where(p => SecretReferenceKey().IsMatch(p.Key) && p.Value.Length > 0)
            .Select(p => p.Value);
    }

    private static IEnumerable<(string Key, string Value)> Scalars(YamlNode node, string key = "")
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (k, v) in mapping.Children)
                {
                    foreach (var found in Scalars(v, ((YamlScalarNode)k).Value ?? "")) yield return found;
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    foreach (var found in Scalars(item, key)) yield return found;
                }
                break;
            case YamlScalarNode scalar:
                yield return (key, scalar.Value ?? "");
                break;
        }
    }

    [GeneratedRegex("(?i)(existingSecret|secretName)$")]
    private static partial Regex SecretReferenceKey();

    public void Dispose() => Renderer.Dispose();
}

[CollectionDefinition(Name)]
public sealed class RenderedChartGroup : ICollectionFixture<RenderedCharts>
{
    public const string Name = "Rendered chart";
}
