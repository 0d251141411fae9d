using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Inference.Batching;

namespace RagSuite.Inference.Tests.Batching;

/// <summary>The span each model batch leaves, and how it leads back to the requests it served.</summary>
public sealed class InferenceBatcherTracingTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ConcurrentQueue<Activity> _batchSpans = new();
    private readonly ActivityListener _listener;

    public InferenceBatcherTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _batchSpans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task A_batch_shared_by_two_traces_is_a_root_span_linked_to_both_callers()
    {
        // Two items fill a batch, and the first waits up to a second for the second, so both callers share one run.
        var options = new BatchingOptions { MaxBatchSize = 2, MaxBatchTokens = 1024, MaxWait = TimeSpan.FromSeconds(1) };
        await using var batcher = new InferenceBatcher<int, int>("traced-stand-in", options, _ => 4,
            items => () => [.. items.Select(i => i * 2)], new EncoderMetrics(_services.GetRequiredService<IMeterFactory>()));

        var (first, firstCaller) = SubmitUnder(batcher, 1);
        var (second, secondCaller) = SubmitUnder(batcher, 2);
        Assert.Equal(new[] { 2 }, await first);
        Assert.Equal(new[] { 4 }, await second);

        var span = Assert.Single(_batchSpans, s => s.Links.Any(l => l.Context.TraceId == firstCaller.TraceId));
        Assert.Equal(InferenceTracing.BatchSpan, span.DisplayName);
        Assert.Equal(default, span.ParentSpanId);
        Assert.NotEqual(firstCaller.TraceId, span.TraceId);
        Assert.Equal(new[] { firstCaller, secondCaller }.Select(c => c.SpanId.ToHexString()).Order(),
            span.Links.Select(l => l.Context.SpanId.ToHexString()).Order());
        Assert.Equal("traced-stand-in", span.GetTagItem("ragsuite.model"));
        Assert.Equal(2, span.GetTagItem("ragsuite.batch.size"));
    }

    /// <summary>Submits one item from inside a caller span of a trace of its own, as a gRPC request would.</summary>
    private static (Task<int[]> Result, ActivityContext Caller) SubmitUnder(InferenceBatcher<int, int> batcher, int item)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        var result = batcher.SubmitAsync([item], CancellationToken.None);
        caller.Stop();
        Activity.Current = previous;
        return (result, caller.Context);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
