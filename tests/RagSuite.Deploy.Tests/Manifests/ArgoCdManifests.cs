using System.Text.Json;
using System.Text.Json.Nodes;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests.Manifests;

/// <summary>
/// Everything argocd/ puts into a cluster, as JSON objects: its plain manifests (kubectl's v1 List unwrapped), and each Helm
/// chart under it rendered as Argo CD renders it for the Application whose source points at it (its valueFiles,
/// valuesObject and parameters, with Argo CD's $ARGOCD_APP_* build variables substituted), or with its defaults when no
/// Application points at it.
/// </summary>
public static class ArgoCdManifests
{
    public static string Root { get; } = Path.Combine(RepositoryPaths.Root, "argocd");

    /// <summary>
    /// (file, JSON object) for every document of every YAML file outside a chart that is an object (has an apiVersion or a
    /// kind); a document with neither is not applied as an object (a merge patch for argocd-cm, say).
    /// </summary>
    public static IReadOnlyList<(string Source, string Json)> PlainDocuments() =>
        [.. Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(Root, "*.yml", SearchOption.AllDirectories))
            .Where(f => ChartOf(f) is null)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => YamlJson.Documents(File.ReadAllText(f)).Select(j => (Path.GetRelativePath(RepositoryPaths.Root, f), j)))
            .Where(d => JsonNode.Parse(d.Item2) is JsonObject o && (o.ContainsKey("apiVersion") || o.ContainsKey("kind")))];

    /// <summary>(chart and Application, JSON object) for every object every chart under argocd/ renders.</summary>
    public static async Task<IReadOnlyList<(string Source, string Json)>> RenderedChartDocumentsAsync(ChartRenderer renderer)
    {
        var charts = Directory.EnumerateFiles(Root, "Chart.yaml", SearchOption.AllDirectories).Select(Path.GetDirectoryName).OfType<string>().ToList();
        var applications = PlainDocuments().Select(d => JsonNode.Parse(d.Json)!.AsObject())
            .Where(o => (string?)o["kind"] == "Application" && ((string?)o["apiVersion"])?.StartsWith("argoproj.io/", StringComparison.Ordinal) == true)
            .ToList();
        var found = new List<(string, string)>();
        using var scratch = new TemporaryDirectory("ragsuite-argocd");
        foreach (var chart in charts)
        {
            var relative = Path.GetRelativePath(RepositoryPaths.Root, chart).Replace('\\', '/');
            var users = applications.Where(a => ((string?)a["spec"]?["source"]?["path"])?.TrimEnd('/') == relative).ToList();
            foreach (var application in users.Count > 0 ? users.Cast<JsonObject?>() : [null])
            {
                var (arguments, name) = Arguments(chart, application, scratch.Path);
                var (code, output, error) = await renderer.RunAsync([.. arguments, "-strict", "-json", chart]);
                if (code != 0) throw new InvalidOperationException($"{relative} does not render for {name}:\n{error}");
                found.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(j => ($"{relative} ({name})", j)));
            }
        }
        return found;
    }

    private static (List<string> Arguments, string Name) Arguments(string chart, JsonObject? application, string scratch)
    {
        if (application is null) return ([], "its defaults");
        var name = (string?)application["metadata"]?["name"] ?? "";
        var source = application["spec"]?["source"];
        var helm = source?["helm"];
        var build = new Dictionary<string, string>
        {
            ["$ARGOCD_APP_NAME"] = name,
            ["$ARGOCD_APP_NAMESPACE"] = (string?)application["spec"]?["destination"]?["namespace"] ?? "",
            ["$ARGOCD_APP_REVISION"] = (string?)source?["targetRevision"] ?? "",
            ["$ARGOCD_APP_SOURCE_REPO_URL"] = (string?)source?["repoURL"] ?? "",
            ["$ARGOCD_APP_SOURCE_PATH"] = (string?)source?["path"] ?? "",
            ["$ARGOCD_APP_SOURCE_TARGET_REVISION"] = (string?)source?["targetRevision"] ?? "",
        };
        var arguments = new List<string>
        {
            "-release", (string?)helm?["releaseName"] ?? name,
            "-namespace", (string?)application["spec"]?["destination"]?["namespace"] ?? "default",
        };
        foreach (var file in helm?["valueFiles"]?.AsArray() ?? []) arguments.AddRange(["-f", Path.Combine(chart, (string)file!)]);
        var values = helm?["valuesObject"]?.DeepClone().AsObject() ?? [];
        foreach (var parameter in helm?["parameters"]?.AsArray() ?? [])
        {
            var value = build.Aggregate((string?)parameter!["value"] ?? "", (v, b) => v.Replace(b.Key, b.Value, StringComparison.Ordinal));
            var node = values;
            var path = ((string)parameter["name"]!).Split('.');
            foreach (var part in path[..^1]) node = (node[part] ??= new JsonObject()).AsObject();
            node[path[^1]] = value;
        }
        if ((string?)helm?["values"] is { Length: > 0 } text)
        {
            var inline = Path.Combine(scratch, $"{name}-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(inline, text);
            arguments.AddRange(["-f", inline]);
        }
        if (values.Count > 0)
        {
            var file = Path.Combine(scratch, $"{name}-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(file, values.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            arguments.AddRange(["-f", file]);
        }
        return (arguments, $"Application {name}");
    }

    private static string? ChartOf(string file)
    {
        for (var directory = Path.GetDirectoryName(file); directory is not null && directory.Length >= Root.Length; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Chart.yaml"))) return directory;
        }
        return null;
    }
}
