namespace RagSuite.Gateway.Tests.Harness;

/// <summary>What one offered load got back, across its hey processes: the figures the harness judges and reports.</summary>
internal sealed class LoadResult
{
    public LoadResult(double offeredRate, double plannedSeconds, int workers, IReadOnlyList<HeyRun> runs)
    {
        OfferedRate = offeredRate;
        PlannedSeconds = plannedSeconds;
        Workers = workers;
        Sent = runs.Sum(r => r.Sent);
        Errors = runs.Sum(r => r.Errors);
        var responses = runs.SelectMany(r => r.Responses).ToList();
        Responses = responses.Count;
        Statuses = responses.GroupBy(r => r.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g => g.Count());
        ServerErrors = responses.Count(r => r.Status >= 500);
        NotOk = responses.Count(r => r.Status is < 200 or >= 300);
        var latencies = responses.Select(r => r.LatencyMs).Order().ToArray();
        P50Ms = Percentile(latencies, 0.50);
        P99Ms = Percentile(latencies, 0.99);
        MaxMs = latencies.Length == 0 ? double.NaN : latencies[^1];
        // Each hey process times its requests from its own start; the slowest to finish bounds the whole load.
        var lastStart = runs.Max(r => r.Responses.Count == 0 ? 0 : r.Responses.Max(x => x.StartSeconds));
        var lastEnd = runs.Max(r => r.Responses.Count == 0 ? 0 : r.Responses.Max(x => x.StartSeconds + x.LatencyMs / 1000));
        LagSeconds = lastStart - plannedSeconds;
        AchievedRate = lastEnd > 0 ? Responses / lastEnd : 0;
    }

    public double OfferedRate { get; }

    public double PlannedSeconds { get; }

    public int Workers { get; }

    public int Sent { get; }

    public int Responses { get; }

    /// <summary>Requests without any HTTP response (connection refused or reset, hey's 10 s timeout).</summary>
    public int Errors { get; }

    public int ServerErrors { get; }

    public int NotOk { get; }

    public IReadOnlyDictionary<string, int> Statuses { get; }

    public double P50Ms { get; }

    public double P99Ms { get; }

    public double MaxMs { get; }

    /// <summary>How far behind schedule the last request started: the sign that workers could not keep the offered rate.</summary>
    public double LagSeconds { get; }

    public double AchievedRate { get; }

    /// <summary>
    /// The workers kept the schedule: the last request started within 5 % of the planned time (at least 250 ms, one tick of
    /// a worker at full rate). Without this, a slow gateway would be credited with a rate it was never actually sent.
    /// </summary>
    public bool KeptUp => LagSeconds <= Math.Max(0.25, PlannedSeconds * 0.05);

    /// <summary>Everything answered 2xx, within the p99 budget, at the rate offered.</summary>
    public bool Holds(double p99LimitMs) => Errors == 0 && NotOk == 0 && P99Ms < p99LimitMs && KeptUp;

    public override string ToString() =>
        $"offered {OfferedRate:0.#}/s ({Workers} workers, {PlannedSeconds:0.#} s): {Responses}/{Sent} answered, " +
        $"statuses [{string.Join(", ", Statuses.Select(s => $"{s.Key}: {s.Value}"))}], errors {Errors}, " +
        $"p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms, max {MaxMs:0.0} ms, achieved {AchievedRate:0.#}/s, lag {LagSeconds:0.00} s";

    /// <summary>Nearest rank: the smallest latency with at least p of the responses at or below it.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
