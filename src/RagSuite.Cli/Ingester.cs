using System.Text.Json;
using RagSuite.Gateway.Api;
using RagSuite.Gateway.Ingestion;

namespace RagSuite.Cli;

/// <summary>
/// Sends a file or a directory tree to a collection: .txt/.md/.html files as uploads (named by their
/// path relative to the root), and .jsonl files one document per line (<c>id</c> or <c>_id</c>,
/// <c>text</c>, optional <c>title</c> and <c>metadata</c>, as in BEIR corpora). Batches stay small so
/// a failure costs little and progress moves steadily.
/// </summary>
public sealed class Ingester(GatewayClient client)
{
    private const int FilesPerBatch = 32;
    /// <summary>Bytes of files, or characters of JSONL text, per request: well under the gateway's 32 MiB default.</summary>
    private const int BytesPerBatch = 4 * 1024 * 1024;
    private const int DocumentsPerBatch = 200;

    /// <summary>What an ingestion did; <c>Empty</c> counts JSONL documents skipped for having neither text nor title.</summary>
    public sealed record Totals(int Documents, int Created, int Updated, int Unchanged, int Chunks, int Empty);

    /// <summary>The files under <paramref name="path"/> that will be ingested, and how many are skipped.</summary>
    public static (List<string> Files, int Skipped) Plan(string path)
    {
        if (File.Exists(path)) return IsIngestible(path) ? ([path], 0) : ([], 1);
        if (!Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is neither a file nor a directory.");
        var all = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
            .Order(StringComparer.Ordinal).ToList();
        var files = all.Where(IsIngestible).ToList();
        return (files, all.Count - files.Count);
    }

    /// <summary>How many documents <paramref name="files"/> hold: one per plain file, one per non-blank JSONL line.</summary>
    public static int CountDocuments(IEnumerable<string> files) =>
        files.Sum(f => IsJsonl(f) ? File.ReadLines(f).Count(line => !string.IsNullOrWhiteSpace(line)) : 1);

    public async Task<Totals> IngestAsync(string collection, string root, IReadOnlyList<string> files, Action<int> progress,
        CancellationToken cancellationToken)
    {
        var totals = new Totals(0, 0, 0, 0, 0, 0);
        var baseDirectory = File.Exists(root) ? Path.GetDirectoryName(Path.GetFullPath(root))! : Path.GetFullPath(root);

        var batch = new List<(string Name, byte[] Content)>();
        var batchBytes = 0;
        foreach (var file in files.Where(f => !IsJsonl(f)))
        {
            var content = await File.ReadAllBytesAsync(file, cancellationToken);
            if (batch.Count > 0 && (batch.Count == FilesPerBatch || batchBytes + content.Length > BytesPerBatch))
            {
                totals = Add(totals, await client.UploadAsync(collection, batch, cancellationToken), progress);
                batch.Clear();
                batchBytes = 0;
            }
            batch.Add((Path.GetRelativePath(baseDirectory, Path.GetFullPath(file)).Replace('\\', '/'), content));
            batchBytes += content.Length;
        }
        if (batch.Count > 0) totals = Add(totals, await client.UploadAsync(collection, batch, cancellationToken), progress);

        var documents = new List<DocumentBody>();
        var documentChars = 0;
        foreach (var document in files.Where(IsJsonl).SelectMany(ReadJsonl))
        {
            if (string.IsNullOrWhiteSpace(document.Text) && string.IsNullOrWhiteSpace(document.Title))
            {
                progress(1);
                totals = totals with { Empty = totals.Empty + 1 };
                continue;
            }
            var chars = (document.Text?.Length ?? 0) + (document.Title?.Length ?? 0);
            if (documents.Count > 0 && (documents.Count == DocumentsPerBatch || documentChars + chars > BytesPerBatch))
            {
                totals = Add(totals, await client.IngestAsync(collection, new DocumentsBody([.. documents]), cancellationToken), progress);
                documents.Clear();
                documentChars = 0;
            }
            documents.Add(document);
            documentChars += chars;
        }
        if (documents.Count > 0) totals = Add(totals, await client.IngestAsync(collection, new DocumentsBody(documents), cancellationToken), progress);
        return totals;
    }

    private static Totals Add(Totals totals, IngestResponse response, Action<int> progress)
    {
        progress(response.Documents.Count);
        return new Totals(totals.Documents + response.Documents.Count, totals.Created + response.Created, totals.Updated + response.Updated,
            totals.Unchanged + response.Unchanged, totals.Chunks + response.Chunks, totals.Empty);
    }

    private static IEnumerable<DocumentBody> ReadJsonl(string file)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}:{lineNumber}: not a JSON object ({e.Message})", e);
            }
            yield return new DocumentBody(
                String(json, "id") ?? String(json, "_id") ?? throw new InvalidDataException($"{file}:{lineNumber}: no \"id\" or \"_id\""),
                String(json, "text"),
                String(json, "title"),
                Path.GetFileName(file),
                json.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                    ? metadata.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                    : null);
        }
    }

    private static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsJsonl(string file) => Path.GetExtension(file).Equals(".jsonl", StringComparison.OrdinalIgnoreCase);

    private static bool IsIngestible(string file) => IsJsonl(file) || FileTextExtractor.IsSupported(file);
}
