using System.Text.RegularExpressions;

namespace RagSuite.Generation.Prompts;

/// <summary>
/// A versioned prompt, read from a <c>name@version.prompt</c> file: optional <c>#</c> comment lines, then a
/// <c>[system]</c> section and a <c>[user]</c> section. The text may use <c>{{sources}}</c> and <c>{{question}}</c>
/// (each exactly once) and <c>{{collection}}</c>.
/// </summary>
public sealed partial record PromptTemplate(string Name, int Version, string System, string User)
{
    public const string Extension = ".prompt";
    public static readonly string[] Placeholders = ["sources", "question", "collection"];

    /// <summary>Lineage: <c>name@version</c>.</summary>
    public string Id => $"{Name}@{Version}";

    public (string System, string User) Render(string sources, string question, string collection) =>
        (Fill(System, sources, question, collection), Fill(User, sources, question, collection));

    private static string Fill(string text, string sources, string question, string collection) =>
        // One pass, so a question that itself contains "{{sources}}" is never expanded.
        PlaceholderPattern().Replace(text, m => m.Groups[1].Value switch
        {
            "sources" => sources,
            "question" => question,
            _ => collection,
        });

    /// <summary>Reads a template, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static PromptTemplate Parse(string fileName, string content)
    {
        var id = Path.GetFileNameWithoutExtension(fileName);
        var match = IdPattern().Match(id);
        if (!match.Success) throw new FormatException($"'{fileName}': the file name must be name@version{Extension} (a name of letters, digits, '-' or '_', a version 1 or more)");
        var name = match.Groups[1].Value;
        var version = int.Parse(match.Groups[2].Value, global::System.Globalization.CultureInfo.InvariantCulture);

        var sections = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var line in content.ReplaceLineEndings("\n").Split('\n'))
        {
            var header = line.Trim();
            if (header is "[system]" or "[user]")
            {
                var key = header[1..^1];
                if (sections.ContainsKey(key)) throw new FormatException($"'{fileName}': the [{key}] section appears twice");
                sections[key] = current = [];
            }
            else if (current is not null) current.Add(line);
            else if (line.Length > 0 && !line.StartsWith('#')) throw new FormatException($"'{fileName}': text before the first section (start with [system] or [user]; '#' lines are comments)");
        }
        var system = sections.TryGetValue("system", out var s) ? string.Join('\n', s).Trim() : "";
        var user = sections.TryGetValue("user", out var u) ? string.Join('\n', u).Trim() : "";
        if (user.Length == 0) throw new FormatException($"'{fileName}': the [user] section is missing or empty");

        var used = PlaceholderPattern().Matches(system + "\n" + user).Select(m => m.Groups[1].Value).ToList();
        var unknown = used.Except(Placeholders).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"'{fileName}': unknown placeholder {string.Join(", ", unknown.Select(Marker))} (known: {string.Join(", ", Placeholders.Select(Marker))})");
        }
        foreach (var required in new[] { "sources", "question" })
        {
            var count = used.Count(p => p == required);
            if (count != 1) throw new FormatException($"'{fileName}': {Marker(required)} must appear exactly once (it appears {count} times)");
        }
        return new PromptTemplate(name, version, system, user);
    }

    /// <summary>How a placeholder is written in a template: <c>{{name}}</c>.</summary>
    private static string Marker(string name) => "{{" + name + "}}";

    [GeneratedRegex(@"\{\{\s*([a-z_]+)\s*\}\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9_-]{0,63})@([1-9][0-9]{0,5})$")]
    private static partial Regex IdPattern();
}
