using System.Diagnostics.Metrics;
using RagSuite.Contracts.V1;

namespace RagSuite.Embedding;

/// <summary>The embedder's instruments: texts embedded and batch sizes, by input kind.</summary>
public sealed class EmbedderMetrics
{
    public const string MeterName = "RagSuite.Embedder";

    private readonly Counter<long> _texts;
    private readonly Histogram<int> _batchSize;

    public EmbedderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _texts = meter.CreateCounter<long>("ragsuite.embedder.texts", "{text}", "Texts embedded");
        _batchSize = meter.CreateHistogram<int>("ragsuite.embedder.batch_size", "{text}", "Texts per Embed call",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
    }

    public void Record(int texts, InputKind kind)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind == InputKind.Query ? "query" : "passage");
        _texts.Add(texts, tag);
        _batchSize.Record(texts, tag);
    }
}
