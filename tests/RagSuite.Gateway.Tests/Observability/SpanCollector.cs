using System.Collections.Concurrent;
using System.Diagnostics;

namespace RagSuite.Gateway.Tests.Observability;

/// <summary>
/// Records every span that stops in this process. Every host of a suite runs here, so one collector sees the gateway's
/// spans and the services' alike; tests pick out their own by trace id, since other tests run beside them.
/// </summary>
internal sealed class SpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId trace) => [.. _stopped.Where(a => a.TraceId == trace)];

    /// <summary>Spans of other traces that link to a span of <paramref name="trace"/>, such as the model batches that served it.</summary>
    public IReadOnlyList<Activity> Linked(ActivityTraceId trace) =>
        [.. _stopped.Where(a => a.TraceId != trace && a.Links.Any(l => l.Context.TraceId == trace))];

    /// <summary>The trace's spans once <paramref name="complete"/> holds: server spans stop just after their response is sent.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForTraceAsync(ActivityTraceId trace, Func<IReadOnlyList<Activity>, bool> complete)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var spans = InTrace(trace);
            if (complete(spans) || DateTime.UtcNow > deadline) return spans;
            await Task.Delay(20);
        }
    }

    /// <summary>The trace as an indented tree, for a failure message and the test log.</summary>
    public static string Describe(IReadOnlyList<Activity> spans)
    {
        var bySpan = spans.ToDictionary(s => s.SpanId);
        var lines = new List<string>();
        void Write(Activity span, int depth)
        {
            lines.Add($"{new string(' ', depth * 2)}{span.DisplayName} [{span.Source.Name}, {span.Kind}]" +
                (span.Links.Any() ? $" links {span.Links.Count()}" : ""));
            foreach (var child in spans.Where(c => c.ParentSpanId == span.SpanId).OrderBy(c => c.StartTimeUtc)) Write(child, depth + 1);
        }
        foreach (var root in spans.Where(s => !bySpan.ContainsKey(s.ParentSpanId)).OrderBy(s => s.StartTimeUtc)) Write(root, 0);
        return string.Join(Environment.NewLine, lines);
    }

    public void Dispose() => _listener.Dispose();
}
