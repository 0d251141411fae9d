using System.Diagnostics.Metrics;
using RagSuite.Core.Telemetry;
using RagSuite.Contracts.V1;

namespace RagSuite.Reranking;

/// <summary>The reranker's instruments: passages scored and time per call, by mode.</summary>
public sealed class RerankerMetrics
{
    public const string MeterName = "RagSuite.Reranker";

    private readonly Counter<long> _passages;
    private readonly Histogram<double> _duration;

    public RerankerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _passages = meter.CreateCounter<long>("ragsuite.reranker.passages", "{passage}", "Passages scored");
        _duration = meter.CreateHistogram<double>("ragsuite.reranker.duration", "s", "Time to score one request's passages",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
    }

    public void Record(RerankMode mode, int passages, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("mode", mode.ToString().ToLowerInvariant());
        _passages.Add(passages, tag);
        _duration.Record(duration.TotalSeconds, tag);
    }
}
