using System.Text.Json;

namespace RagSuite.Bench.Peers.Data;

/// <summary>
/// Grows one or more BEIR corpora to a given size by copying them under new ids: pass r of the sources is written
/// with ids <c>{id}-r{r}</c>, except pass 0, which keeps the original ids so the copied qrels still judge it.
/// Sources are interleaved pass by pass, so every prefix of the output mixes them in their original proportions.
/// Queries and qrels of all sources are copied (a query id seen twice keeps its first text).
/// </summary>
public static class CorpusReplicator
{
    public static async Task<(int Documents, int Sources)> ReplicateAsync(IReadOnlyList<string> sources, string target, int documents,
        CancellationToken cancellationToken)
    {
        var originals = sources.SelectMany(BeirFiles.ReadCorpus).ToList();
        if (originals.Count == 0) throw new InvalidDataException("The source corpora hold no documents.");
        var duplicate = originals.GroupBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"Document id '{duplicate.Key}' occurs in more than one source; replicas would collide.");

        Directory.CreateDirectory(Path.Combine(target, "qrels"));
        await using (var corpus = new StreamWriter(Path.Combine(target, "corpus.jsonl")))
        {
            var written = 0;
            for (var pass = 0; written < documents; pass++)
            {
                foreach (var document in originals)
                {
                    if (written == documents) break;
                    var id = pass == 0 ? document.Id : $"{document.Id}-r{pass}";
                    await corpus.WriteLineAsync(JsonSerializer.Serialize(new Line(id, document.Title, document.Text)).AsMemory(), cancellationToken);
                    written++;
                }
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queries = sources.SelectMany(s => File.ReadLines(BeirFiles.Queries(s)))
            .Where(l => !string.IsNullOrWhiteSpace(l) && seen.Add(JsonDocument.Parse(l).RootElement.GetProperty("_id").GetString()!));
        await File.WriteAllLinesAsync(Path.Combine(target, "queries.jsonl"), queries, cancellationToken);
        var qrels = sources.SelectMany(s => File.ReadLines(BeirFiles.Qrels(s)).Skip(1));
        await File.WriteAllLinesAsync(Path.Combine(target, "qrels", "test.tsv"), ["query-id\tcorpus-id\tscore", .. qrels], cancellationToken);
        return (documents, originals.Count);
    }

    private sealed record Line(
        [property: System.Text.Json.Serialization.JsonPropertyName("_id")] string Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("title")] string Title,
        [property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text);
}
