using System.Diagnostics.Metrics;
using RagSuite.Core.Telemetry;

namespace RagSuite.Gateway;

/// <summary>The gateway's instruments: time per pipeline stage and documents ingested by outcome.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "RagSuite.Gateway";

    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _documents;
    private readonly Counter<long> _chunks;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _stageDuration = meter.CreateHistogram<double>("ragsuite.gateway.stage.duration", "s",
            "Time spent in each stage of a query or an ingestion",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
        _documents = meter.CreateCounter<long>("ragsuite.gateway.documents", "{document}", "Documents ingested, by outcome");
        _chunks = meter.CreateCounter<long>("ragsuite.gateway.chunks", "{chunk}", "Chunks written");
    }

    public void RecordStage(string stage, TimeSpan duration) =>
        _stageDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    public void RecordDocuments(string outcome, int count)
    {
        if (count > 0) _documents.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void RecordChunks(int count) => _chunks.Add(count);
}
