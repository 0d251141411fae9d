using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// Rendered manifests as YAML trees, read the way kubectl reads them (every document of a stream, aliases resolved),
/// with lookups by path that say which key is missing.
/// </summary>
internal static class YamlManifests
{
    /// <summary>Every non-empty document of a YAML stream, Lists (kind: List) expanded into their items.</summary>
    public static IReadOnlyList<YamlMappingNode> Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root) continue;
            if (root.Text("kind") == "List") documents.AddRange(root.Items("items").Cast<YamlMappingNode>());
            else documents.Add(root);
        }
        return documents;
    }

    /// <summary>The node at a path of mapping keys, or null where a key is absent.</summary>
    public static YamlNode? Find(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next)) return null;
            current = next;
        }
        return current;
    }

    /// <summary>The node at a path, failing the test with the path when it is absent.</summary>
    public static YamlNode Get(this YamlNode node, params string[] path) =>
        node.Find(path) ?? throw new Xunit.Sdk.XunitException($"{Describe(node)} has no {string.Join('.', path)}");

    /// <summary>The scalar at a path, or null where it is absent.</summary>
    public static string? Text(this YamlNode node, params string[] path) => (node.Find(path) as YamlScalarNode)?.Value;

    /// <summary>The sequence at a path; empty where it is absent.</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.Find(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static string Kind(this YamlNode node) => node.Text("kind") ?? "";

    public static string Name(this YamlNode node) => node.Text("metadata", "name") ?? "";

    /// <summary>The API group of a manifest: "" for the core group (apiVersion v1), else what precedes the "/".</summary>
    public static string Group(this YamlNode node)
    {
        var apiVersion = node.Text("apiVersion") ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }

    /// <summary>Every scalar under a key of this name, anywhere in the tree.</summary>
    public static IEnumerable<string> ValuesOf(this YamlNode node, string key) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(pair =>
            (pair.Key is YamlScalarNode k && k.Value == key && pair.Value is YamlScalarNode v ? [v.Value ?? ""] : Enumerable.Empty<string>())
                .Concat(pair.Value.ValuesOf(key))),
        YamlSequenceNode sequence => sequence.Children.SelectMany(child => child.ValuesOf(key)),
        _ => [],
    };

    public static string Describe(YamlNode node) =>
        node is YamlMappingNode ? $"{node.Kind()} {node.Name()}".Trim() is { Length: > 0 } described ? described : "the node" : "the node";
}
