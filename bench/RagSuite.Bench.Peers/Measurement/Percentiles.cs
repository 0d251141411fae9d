namespace RagSuite.Bench.Peers.Measurement;

/// <summary>Nearest-rank percentiles, as the ragsuite CLI reports them, so the numbers compare.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
