using System.Text.RegularExpressions;

namespace RagSuite.Bench.Peers.Measurement;

/// <summary>
/// How far two engines' top lists agree. <see cref="ById"/> counts shared ids; <see cref="BySource"/> first strips the
/// replica suffix (<c>-r7</c>), because in a replicated corpus the copies of one document score exactly alike and
/// each engine breaks those ties its own way (Lucene by index order, RagSuite by point id), which is not a
/// difference in ranking.
/// </summary>
public static partial class Overlap
{
    /// <summary>Mean share of <paramref name="b"/>'s top k found in <paramref name="a"/>'s top k, over the queries.</summary>
    public static double ById(IReadOnlyList<IReadOnlyList<string>> a, IReadOnlyList<IReadOnlyList<string>> b, int k) =>
        Mean(a, b, k, id => id);

    public static double BySource(IReadOnlyList<IReadOnlyList<string>> a, IReadOnlyList<IReadOnlyList<string>> b, int k) =>
        Mean(a, b, k, SourceOf);

    /// <summary>How many queries have the very same top k in the same order.</summary>
    public static int Identical(IReadOnlyList<IReadOnlyList<string>> a, IReadOnlyList<IReadOnlyList<string>> b, int k) =>
        a.Zip(b).Count(p => p.First.Take(k).SequenceEqual(p.Second.Take(k), StringComparer.Ordinal));

    public static string SourceOf(string id) => ReplicaSuffix().Replace(id, "");

    private static double Mean(IReadOnlyList<IReadOnlyList<string>> a, IReadOnlyList<IReadOnlyList<string>> b, int k, Func<string, string> key)
    {
        if (a.Count == 0) return double.NaN;
        double sum = 0;
        for (var q = 0; q < a.Count; q++)
        {
            // A multiset intersection: two copies of one source in both lists count twice.
            var left = a[q].Take(k).Select(key).GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var shared = b[q].Take(k).Select(key).GroupBy(x => x, StringComparer.Ordinal)
                .Sum(g => Math.Min(g.Count(), left.GetValueOrDefault(g.Key)));
            var size = Math.Min(k, Math.Max(a[q].Count, b[q].Count));
            sum += size == 0 ? 1 : (double)shared / size;
        }
        return sum / a.Count;
    }

    [GeneratedRegex("-r[0-9]+$")]
    private static partial Regex ReplicaSuffix();
}
