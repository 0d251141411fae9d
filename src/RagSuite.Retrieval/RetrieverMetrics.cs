using System.Diagnostics.Metrics;
using RagSuite.Core.Telemetry;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval;

/// <summary>The retriever's instruments: points written and search latency, by collection and fusion.</summary>
public sealed class RetrieverMetrics
{
    public const string MeterName = "RagSuite.Retriever";

    private readonly Counter<long> _pointsWritten;
    private readonly Histogram<double> _searchDuration;

    public RetrieverMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _pointsWritten = meter.CreateCounter<long>("ragsuite.retriever.points_written", "{point}", "Points written");
        _searchDuration = meter.CreateHistogram<double>("ragsuite.retriever.search.duration", "s", "Time to search one collection",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
    }

    public void RecordWrite(string collection, int points) =>
        _pointsWritten.Add(points, new KeyValuePair<string, object?>("collection", collection));

    public void RecordSearch(string collection, FusionMode fusion, TimeSpan duration) =>
        _searchDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("collection", collection),
            new KeyValuePair<string, object?>("fusion", FusionNames.Of(fusion)));
}
