using System.Diagnostics.Metrics;
using RagSuite.Core.Telemetry;

namespace RagSuite.Gateway;

/// <summary>The gateway's instruments: time per pipeline stage, documents ingested by outcome, and queries that fell back.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "RagSuite.Gateway";

    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _documents;
    private readonly Counter<long> _chunks;
    private readonly Counter<long> _degraded;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _stageDuration = meter.CreateHistogram<double>("ragsuite.gateway.stage.duration", "s",
            "Time spent in each stage of a query or an ingestion",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
        _documents = meter.CreateCounter<long>("ragsuite.gateway.documents", "{document}", "Documents ingested, by outcome");
        _chunks = meter.CreateCounter<long>("ragsuite.gateway.chunks", "{chunk}", "Chunks written");
        _degraded = meter.CreateCounter<long>("ragsuite.gateway.degraded", "{query}",
            "Queries answered with a fallback because a service was unavailable, by service and fallback");
    }

    public void RecordStage(string stage, TimeSpan duration) =>
        _stageDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    public void RecordDocuments(string outcome, int count)
    {
        if (count > 0) _documents.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void RecordChunks(int count) => _chunks.Add(count);

    public void RecordDegraded(string service, string fallback) =>
        _degraded.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("fallback", fallback));
}
