using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RagSuite.Deploy.Tests.Manifests;

/// <summary>
/// The values that would carry a secret itself (a password, token or API key, not the name of a Secret holding one), found
/// in values.schema.json so that one added later is found too, and a values file that sets each of them to a marker.
/// </summary>
public static partial class SecretValues
{
    public const string Marker = "planted-secret-value-4f1d9a7c";

    /// <summary>Dotted paths of string values whose name says they hold a secret: apiKey, password, token, ...</summary>
    public static IReadOnlyList<string> Paths(string schemaFile)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(schemaFile));
        var found = new List<string>();
        Walk(schema.RootElement, schema.RootElement, "", found, 0);
        return found;
    }

    /// <summary>A values file setting every path to the marker.</summary>
    public static string ValuesYaml(IEnumerable<string> paths)
    {
        var root = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var node = root;
            var parts = path.Split('.');
            foreach (var part in parts[..^1])
            {
                if (!node.TryGetValue(part, out var child)) node[part] = child = new SortedDictionary<string, object>(StringComparer.Ordinal);
                node = (SortedDictionary<string, object>)child;
            }
            node[parts[^1]] = Marker;
        }
        var yaml = new StringBuilder();
        Write(root, 0, yaml);
        return yaml.ToString();
    }

    private static void Write(SortedDictionary<string, object> node, int indent, StringBuilder yaml)
    {
        foreach (var (key, value) in node)
        {
            yaml.Append(' ', indent).Append(key).Append(':');
            if (value is SortedDictionary<string, object> child)
            {
                yaml.Append('\n');
                Write(child, indent + 2, yaml);
            }
            else
            {
                yaml.Append(' ').Append(JsonSerializer.Serialize(value)).Append('\n');
            }
        }
    }

    private static void Walk(JsonElement root, JsonElement schema, string path, List<string> found, int depth)
    {
        if (depth > 32) return;
        schema = Resolve(root, schema);
        foreach (var keyword in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var list)) foreach (var s in list.EnumerateArray()) Walk(root, s, path, found, depth + 1);
        }
        if (!schema.TryGetProperty("properties", out var properties)) return;
        foreach (var property in properties.EnumerateObject())
        {
            var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            var resolved = Resolve(root, property.Value);
            if (CarriesSecret(property.Name) && AcceptsString(resolved)) found.Add(child);
            Walk(root, resolved, child, found, depth + 1);
        }
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var target = root;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(part);
            schema = target;
        }
        return schema;
    }

    private static bool AcceptsString(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type)
        && (type.ValueKind == JsonValueKind.String ? type.GetString() == "string" : type.EnumerateArray().Any(t => t.GetString() == "string"));

    /// <summary>apiKey, password, token, clientSecret, credentials: yes. existingSecret, secretKey, secretName, tokenFile: no (they name where a secret is).</summary>
    private static bool CarriesSecret(string name) => SecretValueName().IsMatch(name) && !SecretReferenceName().IsMatch(name);

    [GeneratedRegex("(?i)(password|passwd|token|apikey|api_key|secret|credentials?|privatekey)$")]
    private static partial Regex SecretValueName();

    [GeneratedRegex("(?i)^existing|secret(key|name)$")]
    private static partial Regex SecretReferenceName();
}
