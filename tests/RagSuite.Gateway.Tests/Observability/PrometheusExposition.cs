using System.Text;

namespace RagSuite.Gateway.Tests.Observability;

/// <summary>
/// A <c>/metrics</c> page in Prometheus' text format, parsed: each sample's series name and labels (the values do not
/// matter here). Comment lines (<c># HELP</c>, <c># TYPE</c>) are skipped, so a metric counts only once it has a sample.
/// </summary>
public sealed class PrometheusExposition
{
    private readonly Dictionary<string, List<IReadOnlyDictionary<string, string>>> _series = new(StringComparer.Ordinal);

    private PrometheusExposition()
    {
    }

    public IEnumerable<string> Names => _series.Keys;

    /// <summary>The label sets of every sample of <paramref name="name"/> (a full series name: x_bucket, x_count, x_total).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Series(string name) => _series.TryGetValue(name, out var series) ? series : [];

    public static PrometheusExposition Parse(string text)
    {
        var exposition = new PrometheusExposition();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            if (brace >= 0 && (space < 0 || brace < space))
            {
                name = line[..brace];
                ParseLabels(line, brace + 1, labels);
            }
            else
            {
                name = line[..space];
            }
            if (!exposition._series.TryGetValue(name, out var list)) exposition._series[name] = list = [];
            list.Add(labels);
        }
        return exposition;
    }

    private static void ParseLabels(string line, int i, Dictionary<string, string> labels)
    {
        while (i < line.Length && line[i] != '}')
        {
            var equals = line.IndexOf('=', i);
            var label = line[i..equals].Trim().TrimStart(',').Trim();
            var value = new StringBuilder();
            for (i = equals + 2; line[i] != '"'; i++)
            {
                if (line[i] == '\\')
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }
            labels[label] = value.ToString();
            i++;
            if (i < line.Length && line[i] == ',') i++;
        }
    }
}
