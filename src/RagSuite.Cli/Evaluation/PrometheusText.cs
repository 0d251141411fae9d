using System.Globalization;

namespace RagSuite.Cli.Evaluation;

/// <summary>Reads a sample's value out of a Prometheus text exposition, summed over all its series.</summary>
public static class PrometheusText
{
    public static double Sum(string exposition, string sample) =>
        exposition.Split('\n').Where(l => l.StartsWith(sample + "{", StringComparison.Ordinal) || l.StartsWith(sample + " ", StringComparison.Ordinal))
            .Sum(Value);

    private static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
