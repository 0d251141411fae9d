using System.Text.RegularExpressions;
using k8s;
using RagSuite.Deploy.Tests.Crds;

namespace RagSuite.Deploy.Tests.Manifests;

/// <summary>Loads YAML manifests strictly: every field must exist in its kind's type (built-in, or one of <see cref="CrdTypes"/>).</summary>
public static partial class KubernetesManifests
{
    public static IReadOnlyList<object> LoadStrict(string yaml)
    {
        var unknown = Kinds(yaml).Where(k => !CrdTypes.Map.ContainsKey(k) && !BuiltIn(k)).ToList();
        if (unknown.Count > 0) throw new InvalidOperationException($"No type for {string.Join(", ", unknown)}: add it to CrdTypes.");
        return KubernetesYaml.LoadAllFromString(yaml, CrdTypes.Map, strict: true);
    }

    /// <summary>JSON objects (which are YAML too) loaded strictly, as <see cref="LoadStrict"/> does.</summary>
    public static IReadOnlyList<object> LoadStrictJson(IEnumerable<string> json)
    {
        var documents = json.ToList();
        var unknown = documents.Select(d => System.Text.Json.Nodes.JsonNode.Parse(d)!)
            .Select(o => $"{o["apiVersion"]}/{o["kind"]}")
            .Distinct().Where(k => !CrdTypes.Map.ContainsKey(k) && !BuiltIn(k)).ToList();
        if (unknown.Count > 0) throw new InvalidOperationException($"No type for {string.Join(", ", unknown)}: add it to CrdTypes.");
        return KubernetesYaml.LoadAllFromString(string.Join("\n---\n", documents), CrdTypes.Map, strict: true);
    }

    private static bool BuiltIn(string key)
    {
        try
        {
            KubernetesYaml.LoadAllFromString($"apiVersion: {key[..key.LastIndexOf('/')]}\nkind: {key[(key.LastIndexOf('/') + 1)..]}\n");
            return true;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }

    private static IEnumerable<string> Kinds(string yaml) =>
        yaml.Split("\n---", StringSplitOptions.RemoveEmptyEntries)
            .Select(d => (ApiVersion: ApiVersionLine().Match(d), Kind: KindLine().Match(d)))
            .Where(m => m.ApiVersion.Success && m.Kind.Success)
            .Select(m => $"{m.ApiVersion.Groups[1].Value.Trim('"')}/{m.Kind.Groups[1].Value.Trim('"')}")
            .Distinct();

    [GeneratedRegex(@"^apiVersion:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ApiVersionLine();

    [GeneratedRegex(@"^kind:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLine();
}
