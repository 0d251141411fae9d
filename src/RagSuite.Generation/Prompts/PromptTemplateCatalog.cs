using System.Reflection;

namespace RagSuite.Generation.Prompts;

/// <summary>
/// The built-in templates plus those in the configured directory (a mounted ConfigMap). A directory file may add
/// versions but never redefine one that exists: a version, once used, always means the same prompt.
/// </summary>
public sealed class PromptTemplateCatalog
{
    private const string ResourcePrefix = "RagSuite.Generation.Prompts.";

    private readonly Dictionary<string, PromptTemplate> _byId;

    private PromptTemplateCatalog(Dictionary<string, PromptTemplate> byId) => _byId = byId;

    public IReadOnlyList<string> Ids => [.. _byId.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Loads and checks every template, or throws <see cref="FormatException"/> naming the file and the problem.</summary>
    public static PromptTemplateCatalog Load(string? directory)
    {
        var byId = new Dictionary<string, PromptTemplate>(StringComparer.Ordinal);
        var assembly = typeof(PromptTemplateCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            Add(byId, resource[ResourcePrefix.Length..], Read(assembly, resource), "built in");
        }
        if (!string.IsNullOrWhiteSpace(directory))
        {
            if (!Directory.Exists(directory)) throw new FormatException($"the templates directory '{directory}' does not exist");
            foreach (var file in Directory.EnumerateFiles(directory, "*" + PromptTemplate.Extension).Order(StringComparer.Ordinal))
            {
                Add(byId, Path.GetFileName(file), File.ReadAllText(file), directory);
            }
        }
        return new PromptTemplateCatalog(byId);
    }

    /// <summary>The template <paramref name="reference"/> names: <c>name@version</c>, or <c>name</c> for its latest version.</summary>
    public bool TryResolve(string reference, out PromptTemplate template)
    {
        if (_byId.TryGetValue(reference, out template!)) return true;
        var latest = _byId.Values.Where(t => t.Name == reference).MaxBy(t => t.Version);
        template = latest!;
        return latest is not null;
    }

    private static void Add(Dictionary<string, PromptTemplate> byId, string fileName, string content, string origin)
    {
        var template = PromptTemplate.Parse(fileName, content);
        if (!byId.TryAdd(template.Id, template)) throw new FormatException($"'{fileName}' ({origin}) redefines {template.Id}; give it a new version instead");
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
