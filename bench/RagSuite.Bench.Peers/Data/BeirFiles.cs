using System.Text.Json;

namespace RagSuite.Bench.Peers.Data;

/// <summary>
/// Reads a BEIR folder: <c>corpus.jsonl</c> (<c>_id</c>, <c>title</c>, <c>text</c>), <c>queries.jsonl</c>
/// (<c>_id</c>, <c>text</c>) and <c>qrels/test.tsv</c>. The corpus is streamed; a replicated one can be large.
/// Documents with neither text nor title are skipped, as <c>ragsuite ingest</c> skips them (the gateway refuses
/// them), so every engine counts the same documents in its BM25 statistics.
/// </summary>
public static class BeirFiles
{
    public static string Corpus(string directory) => Required(Path.Combine(directory, "corpus.jsonl"), directory);

    public static string Queries(string directory) => Required(Path.Combine(directory, "queries.jsonl"), directory);

    public static string Qrels(string directory) => Required(Path.Combine(directory, "qrels", "test.tsv"), directory);

    public static IEnumerable<BeirDocument> ReadCorpus(string directory)
    {
        foreach (var line in File.ReadLines(Corpus(directory)))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var json = JsonDocument.Parse(line).RootElement;
            var document = new BeirDocument(
                json.GetProperty("_id").GetString()!,
                json.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "",
                json.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "");
            if (!string.IsNullOrWhiteSpace(document.Text) || !string.IsNullOrWhiteSpace(document.Title)) yield return document;
        }
    }

    /// <summary>Every query in the file, in file order.</summary>
    public static List<(string Id, string Text)> ReadQueries(string directory) =>
        [.. File.ReadLines(Queries(directory)).Where(l => !string.IsNullOrWhiteSpace(l)).Select(line =>
        {
            var json = JsonDocument.Parse(line).RootElement;
            return (json.GetProperty("_id").GetString()!, json.GetProperty("text").GetString()!);
        })];

    private static string Required(string path, string directory) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"'{directory}' is not a BEIR folder: '{path}' is missing.", path);
}
