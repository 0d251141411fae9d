using System.Diagnostics;

namespace RagSuite.Bench.Peers.Measurement;

/// <summary>
/// Drives a target from a number of concurrent clients, each on its own thread, taking the next query from one shared
/// counter so the work stays evenly spread. Latency is what the client waits for one query; throughput is the
/// measured queries over the wall time of the measured phase.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(ISearchTarget target, int queryCount, int clients, LoadSettings settings,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryCount, 1);
        await DriveAsync(target, queryCount, clients, settings.WarmUpPasses, settings.WarmUpSeconds, minPasses: 0, null, cancellationToken);

        var samples = new List<(double Latency, double? Server)>[clients];
        var wall = Stopwatch.StartNew();
        await DriveAsync(target, queryCount, clients, settings.MaxPasses, settings.Seconds, minPasses: 1, samples, cancellationToken);
        wall.Stop();

        var all = samples.SelectMany(s => s).ToList();
        var latencies = all.Select(s => s.Latency).Order().ToList();
        var server = all.Where(s => s.Server is not null).Select(s => s.Server!.Value).Order().ToList();
        return new LoadResult(clients, all.Count, wall.Elapsed.TotalSeconds, all.Count / wall.Elapsed.TotalSeconds,
            Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.95), Percentiles.Of(latencies, 0.99), latencies.Average(),
            server.Count > 0 ? Percentiles.Of(server, 0.50) : null, server.Count > 0 ? Percentiles.Of(server, 0.95) : null);
    }

    /// <summary>The top ids of every query, asked once by one client: what the engines are compared on.</summary>
    public static async Task<IReadOnlyList<IReadOnlyList<string>>> RankingsAsync(ISearchTarget target, int queryCount,
        CancellationToken cancellationToken)
    {
        using var session = target.OpenSession();
        var rankings = new IReadOnlyList<string>[queryCount];
        for (var q = 0; q < queryCount; q++) rankings[q] = (await session.SearchAsync(q, cancellationToken)).Ids;
        return rankings;
    }

    /// <summary>
    /// Hands out queries pass after pass until <paramref name="maxPasses"/> are done, or the time is up once
    /// <paramref name="minPasses"/> are; a query already started always finishes.
    /// </summary>
    private static async Task DriveAsync(ISearchTarget target, int queryCount, int clients, int maxPasses, double seconds, int minPasses,
        List<(double, double?)>[]? samples, CancellationToken cancellationToken)
    {
        if (maxPasses < 1) return;
        long next = -1;
        var limit = (long)maxPasses * queryCount;
        var floor = (long)minPasses * queryCount;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, clients).Select(c => Task.Factory.StartNew(async () =>
        {
            var mine = new List<(double, double?)>();
            if (samples is not null) samples[c] = mine;
            using var session = target.OpenSession();
            while (!cancellationToken.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= limit || (i >= floor && clock.Elapsed.TotalSeconds >= seconds)) break;
                var started = Stopwatch.GetTimestamp();
                var outcome = await session.SearchAsync((int)(i % queryCount), cancellationToken);
                if (samples is not null) mine.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, outcome.ServerMilliseconds));
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap());
        await Task.WhenAll(threads);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
