using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using RagSuite.Core.Telemetry;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval;

/// <summary>
/// The retriever's instruments: points written and search latency, by fusion, and by collection only where
/// <see cref="RetrieverOptions.CollectionMetricLabels"/> allows it.
/// </summary>
public sealed class RetrieverMetrics
{
    public const string MeterName = "RagSuite.Retriever";

    private readonly Counter<long> _pointsWritten;
    private readonly Histogram<double> _searchDuration;

    private readonly bool _collectionLabels;

    public RetrieverMetrics(IMeterFactory meterFactory, IOptions<RetrieverOptions>? options = null)
    {
        _collectionLabels = options?.Value.CollectionMetricLabels ?? false;
        var meter = meterFactory.Create(MeterName);
        _pointsWritten = meter.CreateCounter<long>("ragsuite.retriever.points_written", "{point}", "Points written");
        _searchDuration = meter.CreateHistogram<double>("ragsuite.retriever.search.duration", "s", "Time to search one collection",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
    }

    public void RecordWrite(string collection, int points)
    {
        if (_collectionLabels) _pointsWritten.Add(points, new KeyValuePair<string, object?>("collection", collection));
        else _pointsWritten.Add(points);
    }

    public void RecordSearch(string collection, FusionMode fusion, TimeSpan duration)
    {
        var fusionTag = new KeyValuePair<string, object?>("fusion", FusionNames.Of(fusion));
        if (_collectionLabels) _searchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("collection", collection), fusionTag);
        else _searchDuration.Record(duration.TotalSeconds, fusionTag);
    }
}
