using System.Text.Json;
using System.Text.RegularExpressions;

namespace RagSuite.Cli.Evaluation;

/// <summary>
/// A retrieval test collection in BEIR layout: <c>corpus.jsonl</c>, <c>queries.jsonl</c> and
/// <c>qrels/test.tsv</c> (query-id, corpus-id, score, with a header line). Only judged queries with
/// at least one relevant document (score &gt; 0) are evaluated, as BEIR does.
/// </summary>
public sealed partial record BeirDataset(string Name, string CorpusPath, IReadOnlyDictionary<string, string> Queries,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Judgments)
{
    /// <summary>
    /// The collection eval and bench use unless told otherwise: <c>eval-</c>, the dataset's name and the dense model
    /// (or <c>sparse</c>), since a collection holds one model's vectors.
    /// </summary>
    public string CollectionFor(string? denseModel) =>
        UnsafeChars().Replace($"eval-{Name}-{denseModel ?? "sparse"}", "-").Trim('-');

    public static BeirDataset Load(string directory)
    {
        var corpus = Path.Combine(directory, "corpus.jsonl");
        var queriesPath = Path.Combine(directory, "queries.jsonl");
        var qrelsPath = Path.Combine(directory, "qrels", "test.tsv");
        foreach (var required in new[] { corpus, queriesPath, qrelsPath })
        {
            if (!File.Exists(required)) throw new FileNotFoundException($"'{directory}' is not a BEIR dataset: '{required}' is missing.", required);
        }

        var judgments = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(qrelsPath).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3 || !int.TryParse(parts[2], out var gain) || gain <= 0) continue;
            if (!judgments.TryGetValue(parts[0], out var judged)) judgments[parts[0]] = judged = new(StringComparer.Ordinal);
            judged[parts[1]] = gain;
        }

        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(queriesPath).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            var json = JsonDocument.Parse(line).RootElement;
            var id = json.GetProperty("_id").GetString()!;
            if (judgments.ContainsKey(id)) queries[id] = json.GetProperty("text").GetString()!;
        }

        return new BeirDataset(NameOf(directory), corpus, queries,
            judgments.Where(j => queries.ContainsKey(j.Key)).ToDictionary(j => j.Key, j => (IReadOnlyDictionary<string, int>)j.Value, StringComparer.Ordinal));
    }

    // ".../cranfield/beir" is called "cranfield".
    private static string NameOf(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var name = Path.GetFileName(full);
        return name.Equals("beir", StringComparison.OrdinalIgnoreCase) ? Path.GetFileName(Path.GetDirectoryName(full)) ?? name : name;
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex UnsafeChars();
}
