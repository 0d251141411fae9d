using System.Globalization;
using System.Text.Json;

namespace RagSuite.Gateway.Tests.Harness;

/// <summary>The load harness's figures as one JSON document, so a run's numbers can be kept beside the code that made them.</summary>
internal sealed record LoadReport(
    string Form,
    DateTimeOffset Started,
    string Machine,
    int ProcessorCount,
    string Retrieval,
    int Documents,
    IReadOnlyList<string> Questions,
    double P99LimitMs,
    double HighestHeldProbeRate,
    double RunRate,
    IReadOnlyList<LoadResult> Probes,
    IReadOnlyList<LoadReport.Run> Runs,
    long RssBeforeBytes,
    long RssToleranceBytes)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>One of the three measured runs, with the gateway's resident set right after it.</summary>
    internal sealed record Run(int Number, LoadResult Load, long RssAfterBytes);

    public string WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"load-{Form}-{Started.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return path;
    }
}
