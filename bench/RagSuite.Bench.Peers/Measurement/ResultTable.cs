using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RagSuite.Bench.Peers.Measurement;

/// <summary>Prints result rows as one aligned table and writes them, with the run's notes, as JSON.</summary>
public static class ResultTable
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Format(IReadOnlyList<ResultRow> rows, bool withRecall)
    {
        string[] header = ["engine", "docs", "clients", "p50 ms", "p95 ms", "queries/s", "server p50/p95 ms", "build s", "memory MiB", "memory is",
            .. withRecall ? new[] { "recall@10" } : []];
        var lines = rows.Select(r => (string[])[
            r.Engine, r.Documents.ToString("N0", CultureInfo.InvariantCulture), r.Clients.ToString(CultureInfo.InvariantCulture),
            Number(r.P50Ms, 3), Number(r.P95Ms, 3), Number(r.QueriesPerSecond, 0),
            r.ServerP50Ms is { } s50 ? $"{Number(s50, 3)} / {Number(r.ServerP95Ms, 3)}" : "-",
            Number(r.BuildSeconds, 2), Number(r.MemoryMib, 0), r.MemoryKind,
            .. withRecall ? new[] { Number(r.Recall, 4) } : []]).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.AppendLine(string.Join("  ", cells.Select((c, i) => i < 2 || i == 9 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        lines.ForEach(Line);
        return text.ToString();
    }

    public static async Task WriteJsonAsync(string path, object report, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, report, report.GetType(), Json, cancellationToken);
    }

    private static string Number(double? value, int decimals) =>
        value is { } v && double.IsFinite(v) ? v.ToString("N" + decimals, CultureInfo.InvariantCulture) : "-";
}
