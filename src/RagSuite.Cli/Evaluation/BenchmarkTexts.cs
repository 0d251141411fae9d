using System.Text.Json;

namespace RagSuite.Cli.Evaluation;

/// <summary>Texts for embedding benchmarks, cut from a BEIR corpus the same way every run.</summary>
public static class BenchmarkTexts
{
    public sealed record Document(string Id, string? Title, string Text);

    /// <summary>The corpus as ingestion sees it: titles trimmed, documents with neither text nor title left out.</summary>
    public static IEnumerable<Document> Documents(string corpusPath)
    {
        foreach (var line in File.ReadLines(corpusPath).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            var json = JsonDocument.Parse(line).RootElement;
            var text = json.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
            var title = json.TryGetProperty("title", out var h) && h.GetString() is { } raw && !string.IsNullOrWhiteSpace(raw) ? raw.Trim() : null;
            if (string.IsNullOrWhiteSpace(text) && title is null) continue;
            yield return new Document(json.GetProperty("_id").GetString()!, title, text);
        }
    }

    /// <summary><paramref name="count"/> runs of 20 to 60 consecutive words, lengths spread evenly over that range.</summary>
    public static List<string> Pieces(string corpusPath, int count)
    {
        var pieces = new List<string>(count);
        foreach (var document in Documents(corpusPath))
        {
            var words = document.Text.Split((char[])[' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            for (var start = 0; pieces.Count < count; )
            {
                var length = 20 + pieces.Count * 17 % 41;
                if (start + length > words.Length) break;
                pieces.Add(string.Join(' ', words, start, length));
                start += length;
            }
            if (pieces.Count == count) break;
        }
        if (pieces.Count < count) throw new InvalidDataException($"'{corpusPath}' yields only {pieces.Count} texts of 20–60 words; {count} were asked for.");
        return pieces;
    }
}
