using System.Globalization;

namespace RagSuite.Gateway.Tests.Harness;

/// <summary>One hey process's outcome: what it sent, and each response's latency, status and start time.</summary>
internal sealed record HeyRun(int Sent, IReadOnlyList<HeyResponse> Responses)
{
    /// <summary>Requests that got no HTTP response at all (refused, reset, timed out): hey's CSV has no row for them.</summary>
    public int Errors => Sent - Responses.Count;

    /// <summary>
    /// Parses hey's <c>-o csv</c> output. Columns are found by their header names (hey 0.1.4 writes
    /// <c>response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset</c>), so a hey that
    /// lacks the status or offset column fails here, naming it, rather than being misread.
    /// </summary>
    public static HeyRun FromCsv(int sent, string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) return new HeyRun(sent, []);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var index and >= 0
            ? index
            : throw new FormatException($"hey's CSV has no '{name}' column (header: {lines[0]}); hey 0.1.4 or later writes it");
        int latency = Column("response-time"), status = Column("status-code"), offset = Column("offset");
        var responses = lines.Skip(1).Select(line => line.Split(',')).Select(cells => new HeyResponse(
            double.Parse(cells[latency], CultureInfo.InvariantCulture) * 1000,
            int.Parse(cells[status], CultureInfo.InvariantCulture),
            double.Parse(cells[offset], CultureInfo.InvariantCulture))).ToList();
        return new HeyRun(sent, responses);
    }
}

/// <summary>One response as hey saw it: latency in milliseconds, HTTP status, and when the request started (seconds into the run).</summary>
internal readonly record struct HeyResponse(double LatencyMs, int Status, double StartSeconds);
