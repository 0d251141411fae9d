namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// A total request rate offered to the gateway for a fixed time: one hey process per request body, all at once, so the
/// gateway sees the different questions interleaved (hey sends one body per process).
/// </summary>
internal static class OfferedLoad
{
    /// <summary>
    /// The most requests per second one hey worker is asked for. A worker waits for its tick, sends, and waits for the
    /// answer, so it keeps its rate only while answers come within one tick; at 4 per second a tick is 250 ms, the latency
    /// budget itself, so a worker falls behind only once p99 is already lost. That keeps the load close to open-loop (a slow
    /// gateway does not quietly get fewer requests) without hundreds of idle connections.
    /// </summary>
    public const double MaxPerWorkerRate = 4;

    public static async Task<LoadResult> RunAsync(Uri url, IReadOnlyList<string> bodies, double rate, TimeSpan duration)
    {
        var perBody = rate / bodies.Count;
        var workers = Math.Max(1, (int)Math.Ceiling(perBody / MaxPerWorkerRate));
        var perWorkerRate = perBody / workers;
        var perWorker = Math.Max(1, (int)Math.Round(perWorkerRate * duration.TotalSeconds));
        // hey's rate limiter ticks before every request, so the last one starts perWorker ticks in.
        var plannedSeconds = perWorker / perWorkerRate;
        var limit = TimeSpan.FromSeconds(plannedSeconds * 2 + 30);
        var runs = await Task.WhenAll(bodies.Select(body => Hey.PostAsync(url, body, perWorker * workers, workers, perWorkerRate, limit)));
        return new LoadResult(perWorker * workers * bodies.Count / plannedSeconds, plannedSeconds, workers * bodies.Count, runs);
    }
}
