namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// A total request rate offered to the gateway for a fixed time, as evenly spaced requests: one single-worker hey process
/// per slot, each asking one of the questions (hey sends one body per process), started a slot apart.
/// </summary>
/// <remarks>
/// hey starts all of a process's workers at once and each ticks at the same rate, so its requests come in bursts of
/// <c>-c</c> at every tick; at a few requests per second on two cores such a burst queues behind itself and p99 measures
/// the burst, not the rate. One worker per process, the processes' starts staggered by a fraction of a tick, spreads
/// the same rate evenly.
/// </remarks>
internal static class OfferedLoad
{
    /// <summary>
    /// The most requests per second one hey worker is asked for. A worker waits for its tick, sends, and waits for the
    /// answer, so it keeps its rate only while answers come within one tick; at 4 per second a tick is 250 ms, the latency
    /// budget itself, so a worker falls behind only once p99 is already lost. That keeps the load close to open-loop (a slow
    /// gateway does not quietly get fewer requests).
    /// </summary>
    public const double MaxPerWorkerRate = 4;

    public static async Task<LoadResult> RunAsync(Uri url, IReadOnlyList<string> bodies, double rate, TimeSpan duration)
    {
        var workers = Math.Max(bodies.Count, (int)Math.Ceiling(rate / MaxPerWorkerRate));
        var perWorkerRate = rate / workers;
        var perWorker = Math.Max(1, (int)Math.Round(perWorkerRate * duration.TotalSeconds, MidpointRounding.AwayFromZero));
        // hey's rate limiter ticks before every request, so a worker's last request starts perWorker ticks in.
        var plannedSeconds = perWorker / perWorkerRate;
        var stagger = TimeSpan.FromSeconds(1 / perWorkerRate / workers);
        var limit = TimeSpan.FromSeconds(plannedSeconds * 2 + 30);
        var runs = await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            await Task.Delay(stagger * worker);
            return await Hey.PostAsync(url, bodies[worker % bodies.Count], perWorker, 1, perWorkerRate, limit);
        }));
        return new LoadResult(perWorker * workers / plannedSeconds, plannedSeconds, workers, runs);
    }
}
