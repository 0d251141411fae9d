using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests.Manifests;

/// <summary>
/// YAML documents as JSON objects, for the hand-written manifests (argocd/) that do not pass through chart-render -json.
/// Plain scalars are typed as Kubernetes reads them (null, booleans, integers, floats); quoted ones stay strings.
/// </summary>
public static class YamlJson
{
    /// <summary>Each document as a JSON object; a v1 List (kubectl's wrapper) gives its items instead.</summary>
    public static IEnumerable<string> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        foreach (var document in stream.Documents.Select(d => Node(d.RootNode)).OfType<JsonObject>())
        {
            if ((string?)document["apiVersion"] == "v1" && (string?)document["kind"] == "List" && document["items"] is JsonArray items)
            {
                foreach (var item in items.OfType<JsonObject>()) yield return item.ToJsonString();
            }
            else
            {
                yield return document.ToJsonString();
            }
        }
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Node(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Node)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonNode? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number)
            => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };
}
