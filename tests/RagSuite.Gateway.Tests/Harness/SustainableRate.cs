namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// The highest offered rate that holds (see <see cref="LoadResult.Holds"/>): doubling from a low rate until one fails,
/// then halving the gap between the last that held and the first that failed.
/// </summary>
internal static class SustainableRate
{
    /// <summary>Far above what one gateway on a few cores answers; stops the doubling if something is wrong with the check.</summary>
    private const double Ceiling = 4096;

    public static async Task<(double Rate, IReadOnlyList<LoadResult> Probes)> FindAsync(
        Func<double, Task<LoadResult>> offer, double startRate, double p99LimitMs, int refinements, Action<LoadResult> log)
    {
        var probes = new List<LoadResult>();
        async Task<bool> Holds(double rate)
        {
            var result = await offer(rate);
            probes.Add(result);
            log(result);
            return result.Holds(p99LimitMs);
        }

        double held = 0, failed = double.NaN;
        for (var rate = startRate; rate <= Ceiling; rate *= 2)
        {
            if (!await Holds(rate))
            {
                failed = rate;
                break;
            }
            held = rate;
        }
        if (held == 0 || double.IsNaN(failed)) return (held, probes);

        // Each refinement halves the gap, so after two the rate found is within 25 % of the true limit (at the probes' length).
        for (var i = 0; i < refinements; i++)
        {
            var middle = Math.Round((held + failed) / 2);
            if (middle <= held || middle >= failed) break;
            if (await Holds(middle)) held = middle;
            else failed = middle;
        }
        return (held, probes);
    }
}
