using System.Globalization;
using System.Text.Json.Nodes;
using RagSuite.Testing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests.Policies;

/// <summary>
/// The chart rendered strictly with a values file of the chart's and inline overrides, as JSON objects (plain YAML
/// scalars typed as YAML 1.2's core schema types them, quoted ones strings), with the pods it runs by their labels.
/// </summary>
public sealed class ChartObjects
{
    private ChartObjects(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Kind(o) == kind);

    /// <summary>Every pod the chart starts (Deployments, StatefulSets, Jobs, CronJobs and bare Pods), by its owner.</summary>
    public IReadOnlyList<RenderedPod> Pods => [.. Objects.Select(RenderedPod.Of).OfType<RenderedPod>()];

    public static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    public static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    /// <summary>Renders with <paramref name="valuesFile"/> (under charts/ragsuite), then <paramref name="overrides"/> (YAML) over it.</summary>
    public static async Task<ChartObjects> RenderAsync(ChartRenderer renderer, string valuesFile = "values.yaml", string? overrides = null)
    {
        var (code, output, error) = await RenderRawAsync(renderer, valuesFile, overrides);
        Assert.True(code == 0, $"chart-render failed for {valuesFile} with {overrides}: {error}");
        return new ChartObjects(Parse(output));
    }

    /// <summary>The render's exit code and output, for values expected to fail.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RenderRawAsync(ChartRenderer renderer, string valuesFile, string? overrides)
    {
        using var directory = new TemporaryDirectory("ragsuite-chart-values");
        List<string> files = [Path.Combine(ChartRenderer.Chart, valuesFile)];
        if (overrides is not null)
        {
            var file = Path.Combine(directory.Path, "overrides.yaml");
            await File.WriteAllTextAsync(file, overrides);
            files.Add(file);
        }
        return await renderer.RenderAsync(ChartRenderer.Chart, strict: true, [.. files]);
    }

    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => d.RootNode).Where(n => n is YamlMappingNode { Children.Count: > 0 }).Select(n => (JsonObject)ToJson(n)!)];
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } plain => Plain(plain.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}"),
    };

    private static JsonNode? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && char.IsDigit(value[^1]) => JsonValue.Create(real),
        _ => JsonValue.Create(value),
    };
}

/// <summary>A pod template the chart renders: who owns it, its labels and its spec.</summary>
public sealed record RenderedPod(string Owner, IReadOnlyDictionary<string, string> Labels, JsonObject Spec, bool LongRunning)
{
    public string? Component => Labels.GetValueOrDefault("app.kubernetes.io/component");

    public static RenderedPod? Of(JsonObject o)
    {
        var owner = $"{ChartObjects.Kind(o)}/{ChartObjects.Name(o)}";
        var (template, longRunning) = ChartObjects.Kind(o) switch
        {
            "Deployment" or "StatefulSet" or "DaemonSet" => (o["spec"]!["template"]!.AsObject(), true),
            "Job" => (o["spec"]!["template"]!.AsObject(), false),
            "CronJob" => (o["spec"]!["jobTemplate"]!["spec"]!["template"]!.AsObject(), false),
            "Pod" => (o, false),
            _ => (null, false),
        };
        return template is null ? null : new RenderedPod(owner, LabelMap(template["metadata"]?["labels"]), template["spec"]!.AsObject(), longRunning);
    }

    public static IReadOnlyDictionary<string, string> LabelMap(JsonNode? labels) =>
        labels?.AsObject().ToDictionary(l => l.Key, l => l.Value!.ToString()) ?? [];

    /// <summary>Whether a label selector (matchLabels, and matchExpressions In/NotIn/Exists/DoesNotExist) selects this pod.</summary>
    public bool SelectedBy(JsonNode? selector) => Matches(selector, Labels);

    public static bool Matches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null) return true;
        var matchLabels = LabelMap(selector["matchLabels"]);
        var expressions = selector["matchExpressions"]?.AsArray() ?? [];
        return matchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
            && expressions.All(e =>
            {
                var key = e!["key"]!.GetValue<string>();
                var values = e["values"]?.AsArray().Select(v => v!.ToString()).ToList() ?? [];
                var has = labels.TryGetValue(key, out var value);
                return e["operator"]!.GetValue<string>() switch
                {
                    "In" => has && values.Contains(value!),
                    "NotIn" => !has || !values.Contains(value!),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    var op => throw new InvalidOperationException($"Unknown selector operator {op}"),
                };
            });
    }
}
