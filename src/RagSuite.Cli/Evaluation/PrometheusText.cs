using System.Globalization;

namespace RagSuite.Cli.Evaluation;

/// <summary>Reads a histogram's mean out of a Prometheus text exposition, summed over all its series.</summary>
public static class PrometheusText
{
    public static double Mean(string exposition, string histogram)
    {
        double sum = 0, count = 0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(histogram + "_sum", StringComparison.Ordinal)) sum += Value(line);
            else if (line.StartsWith(histogram + "_count", StringComparison.Ordinal)) count += Value(line);
        }
        return count > 0 ? sum / count : 0;
    }

    private static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
