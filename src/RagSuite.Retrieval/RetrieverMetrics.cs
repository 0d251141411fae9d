using System.Diagnostics.Metrics;
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
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
    }

    public void RecordWrite(string collection, int points) =>
        _pointsWritten.Add(points, new KeyValuePair<string, object?>("collection", collection));

    public void RecordSearch(string collection, FusionMode fusion, TimeSpan duration) =>
        _searchDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("collection", collection),
            new KeyValuePair<string, object?>("fusion", FusionNames.Of(fusion)));
}
