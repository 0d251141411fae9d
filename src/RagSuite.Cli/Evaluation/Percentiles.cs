namespace RagSuite.Cli.Evaluation;

/// <summary>Nearest-rank percentiles of measured values.</summary>
public static class Percentiles
{
    /// <summary>The value at or below which <paramref name="p"/> (0..1] of <paramref name="values"/> fall.</summary>
    public static double Of(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
