using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RagSuite.Core.Telemetry;

namespace RagSuite.Inference.Batching;

/// <summary>
/// What each model's batching does, tagged by model: time waiting in the queue and in inference, batch
/// sizes in texts and padded tokens, real tokens processed (their rate is tokens per second), queue
/// depth, truncations, refusals for a full queue and texts dropped because their caller went away.
/// </summary>
public sealed class EncoderMetrics
{
    public const string MeterName = "RagSuite.Inference";

    private readonly Histogram<double> _queueTime;
    private readonly Histogram<double> _inferenceTime;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<int> _batchTokens;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _texts;
    private readonly Counter<long> _truncated;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _dropped;
    private readonly ConcurrentDictionary<string, Func<int>> _queues = new();

    public EncoderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _queueTime = meter.CreateHistogram<double>("ragsuite.encoder.queue.duration", "s", "Time a text waited before its batch ran",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
        _inferenceTime = meter.CreateHistogram<double>("ragsuite.encoder.inference.duration", "s", "Time to run one batch through the model",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
        _batchSize = meter.CreateHistogram<int>("ragsuite.encoder.batch.size", "{text}", "Texts per batch",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        _batchTokens = meter.CreateHistogram<int>("ragsuite.encoder.batch.tokens", "{token}", "Padded tokens per batch (rows × longest row)",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768] });
        _tokens = meter.CreateCounter<long>("ragsuite.encoder.tokens", "{token}", "Real (unpadded) tokens run through the model");
        _texts = meter.CreateCounter<long>("ragsuite.encoder.texts", "{text}", "Texts run through the model");
        _truncated = meter.CreateCounter<long>("ragsuite.encoder.truncations", "{text}", "Texts cut to the model's token limit");
        _rejected = meter.CreateCounter<long>("ragsuite.encoder.rejected", "{request}", "Requests refused because the queue was full");
        _dropped = meter.CreateCounter<long>("ragsuite.encoder.dropped", "{text}", "Queued texts dropped because their caller went away");
        meter.CreateObservableGauge("ragsuite.encoder.queue.depth",
            () => _queues.Select(q => new Measurement<int>(q.Value(), new KeyValuePair<string, object?>("model", q.Key))),
            "{text}", "Texts admitted and waiting for the model (queued or in a prepared batch)");
    }

    public void TrackQueue(string model, Func<int> depth) => _queues[model] = depth;

    public void StopTracking(string model) => _queues.TryRemove(model, out _);

    public void RecordQueued(string model, TimeSpan waited) => _queueTime.Record(waited.TotalSeconds, Tag(model));

    public void RecordBatch(string model, int texts, int paddedTokens, int realTokens, TimeSpan duration)
    {
        var tag = Tag(model);
        _inferenceTime.Record(duration.TotalSeconds, tag);
        _batchSize.Record(texts, tag);
        _batchTokens.Record(paddedTokens, tag);
        _tokens.Add(realTokens, tag);
        _texts.Add(texts, tag);
    }

    public void RecordTruncated(string model, int texts)
    {
        if (texts > 0) _truncated.Add(texts, Tag(model));
    }

    public void RecordRejected(string model) => _rejected.Add(1, Tag(model));

    public void RecordDropped(string model, int texts) => _dropped.Add(texts, Tag(model));

    private static KeyValuePair<string, object?> Tag(string model) => new("model", model);
}
