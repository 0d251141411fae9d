using System.Diagnostics;
using System.Diagnostics.Metrics;
using RagSuite.Core.Telemetry;

namespace RagSuite.Generation;

/// <summary>
/// The generator's instruments: answers by mode and finish reason and their length; per upstream, time to first
/// token, tokens per second, call duration and errors, tokens in and out and their estimated cost; fallbacks,
/// injection detections, removed citations, and the groundedness of answers.
/// </summary>
public sealed class GeneratorMetrics
{
    public const string MeterName = "RagSuite.Generator";

    private readonly Counter<long> _answers;
    private readonly Histogram<int> _tokens;
    private readonly Histogram<double> _firstToken;
    private readonly Histogram<double> _tokensPerSecond;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _upstreamErrors;
    private readonly Counter<long> _upstreamTokens;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _injections;
    private readonly Counter<long> _citationsRemoved;
    private readonly Histogram<double> _groundedness;

    public GeneratorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _answers = meter.CreateCounter<long>("ragsuite.generator.answers", "{answer}", "Answers written");
        _tokens = meter.CreateHistogram<int>("ragsuite.generator.completion_tokens", "{token}", "Length of each answer",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [8, 16, 32, 64, 128, 256, 512, 1024, 2048] });
        _firstToken = meter.CreateHistogram<double>("ragsuite.generator.time_to_first_token", "s", "Time from the request to an upstream's first token",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
        _tokensPerSecond = meter.CreateHistogram<double>("ragsuite.generator.tokens_per_second", "{token}/s", "Output tokens per second after the first",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 20, 40, 80, 160, 320, 640, 1280] });
        _upstreamDuration = meter.CreateHistogram<double>("ragsuite.generator.upstream.duration", "s", "Upstream calls, start to end, by outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
        _upstreamErrors = meter.CreateCounter<long>("ragsuite.generator.upstream.errors", "{error}", "Upstream failures by kind");
        _upstreamTokens = meter.CreateCounter<long>("ragsuite.generator.upstream.tokens", "{token}", "Tokens sent to (input) and written by (output) upstreams");
        _cost = meter.CreateCounter<double>("ragsuite.generator.upstream.cost", "USD", "Estimated cost of upstream calls");
        _fallbacks = meter.CreateCounter<long>("ragsuite.generator.fallbacks", "{fallback}", "Answers that came from another upstream, or extractive, than the first choice");
        _injections = meter.CreateCounter<long>("ragsuite.generator.injections", "{detection}", "Instruction-like content found in questions and passages");
        _citationsRemoved = meter.CreateCounter<long>("ragsuite.generator.citations_removed", "{citation}", "Citation marks naming a source that was not sent");
        _groundedness = meter.CreateHistogram<double>("ragsuite.generator.groundedness", "1", "Share of answer sentences supported by a cited source",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] });
    }

    public void Record(string mode, string finishReason, int tokens)
    {
        var tags = new TagList { { "mode", mode }, { "finish_reason", finishReason } };
        _answers.Add(1, tags);
        _tokens.Record(tokens, tags);
    }

    public void UpstreamAnswered(string upstream, TimeSpan firstToken, TimeSpan total, int inputTokens, int outputTokens, double cost, string outcome)
    {
        var tag = new KeyValuePair<string, object?>("upstream", upstream);
        _firstToken.Record(firstToken.TotalSeconds, tag);
        var streaming = (total - firstToken).TotalSeconds;
        if (outputTokens > 1 && streaming > 0) _tokensPerSecond.Record((outputTokens - 1) / streaming, tag);
        _upstreamDuration.Record(total.TotalSeconds, tag, new("outcome", outcome));
        _upstreamTokens.Add(inputTokens, tag, new("direction", "input"));
        _upstreamTokens.Add(outputTokens, tag, new("direction", "output"));
        if (cost > 0) _cost.Add(cost, tag);
    }

    public void UpstreamFailed(string upstream, string kind, TimeSpan elapsed)
    {
        _upstreamErrors.Add(1, new("upstream", upstream), new("kind", kind));
        _upstreamDuration.Record(elapsed.TotalSeconds, new("upstream", upstream), new("outcome", "failed"));
    }

    public void Fallback(string from, string to) => _fallbacks.Add(1, new("from", from), new("to", to));

    public void Injection(string source, string action) => _injections.Add(1, new("source", source), new("action", action));

    public void CitationsRemoved(int count)
    {
        if (count > 0) _citationsRemoved.Add(count);
    }

    public void Groundedness(double score, string method) => _groundedness.Record(score, new KeyValuePair<string, object?>("method", method));
}
