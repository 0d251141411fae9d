using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RagSuite.Generation;

/// <summary>The generator's instruments: answers by mode and finish reason, and their length.</summary>
public sealed class GeneratorMetrics
{
    public const string MeterName = "RagSuite.Generator";

    private readonly Counter<long> _answers;
    private readonly Histogram<int> _tokens;

    public GeneratorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _answers = meter.CreateCounter<long>("ragsuite.generator.answers", "{answer}", "Answers written");
        _tokens = meter.CreateHistogram<int>("ragsuite.generator.completion_tokens", "{token}", "Length of each answer",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [8, 16, 32, 64, 128, 256, 512, 1024, 2048] });
    }

    public void Record(string mode, string finishReason, int tokens)
    {
        var tags = new TagList { { "mode", mode }, { "finish_reason", finishReason } };
        _answers.Add(1, tags);
        _tokens.Record(tokens, tags);
    }
}
