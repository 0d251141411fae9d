using RagSuite.Core.Text;

namespace RagSuite.Reranking;

/// <summary>
/// Reorders candidates by how well each covers the query's content words and how close together
/// it has them. Term weights are BM25 (k1 = 1.2, b = 0.75) computed over the candidates themselves, so
/// a word every candidate shares counts for little. The score is
/// <c>bm25 · (0.5 + 0.5 · coverage) · (1 + 0.5 · proximity)</c>, where coverage is the IDF-weighted share
/// of query words present and proximity is (distinct query words matched) / (length of the shortest
/// window that holds them all), for passages matching two or more words.
/// </summary>
public static class LexicalReranker
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    public static double[] Score(string query, IReadOnlyList<string> passages)
    {
        var queryTerms = StopWords.ContentTerms(query);
        var tokenized = passages.Select(WordTokenizer.Tokenize).ToList();
        var scores = new double[passages.Count];
        if (queryTerms.Count == 0 || passages.Count == 0) return scores;

        var n = passages.Count;
        var averageLength = Math.Max(1, tokenized.Average(t => t.Count));
        var counted = tokenized.Select(words => words.CountBy(w => w, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal)).ToList();
        var idf = queryTerms.ToDictionary(t => t, t =>
        {
            var df = counted.Count(counts => counts.ContainsKey(t));
            return Math.Log(1 + (n - df + 0.5) / (df + 0.5));
        });
        var totalIdf = idf.Values.Sum();

        for (var i = 0; i < n; i++)
        {
            var words = tokenized[i];
            var counts = counted[i];
            double bm25 = 0, covered = 0;
            foreach (var term in queryTerms)
            {
                if (!counts.TryGetValue(term, out var tf)) continue;
                bm25 += idf[term] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * words.Count / averageLength));
                covered += idf[term];
            }
            var coverage = totalIdf > 0 ? covered / totalIdf : 0;
            scores[i] = bm25 * (0.5 + 0.5 * coverage) * (1 + 0.5 * Proximity(words, [.. queryTerms.Where(counts.ContainsKey)]));
        }
        return scores;
    }

    /// <summary>
    /// Distinct query words the passage holds (<paramref name="present"/>) divided by the shortest window
    /// of <paramref name="words"/> holding all of them; 0 below two words.
    /// </summary>
    internal static double Proximity(IReadOnlyList<string> words, IReadOnlyList<string> present)
    {
        var wanted = present.ToHashSet(StringComparer.Ordinal);
        if (wanted.Count < 2) return 0;

        var inWindow = new Dictionary<string, int>(StringComparer.Ordinal);
        var shortest = int.MaxValue;
        var left = 0;
        for (var right = 0; right < words.Count; right++)
        {
            if (!wanted.Contains(words[right])) continue;
            inWindow[words[right]] = inWindow.GetValueOrDefault(words[right]) + 1;
            while (inWindow.Count == wanted.Count)
            {
                shortest = Math.Min(shortest, right - left + 1);
                if (wanted.Contains(words[left]) && --inWindow[words[left]] == 0) inWindow.Remove(words[left]);
                left++;
            }
        }
        return (double)wanted.Count / shortest;
    }
}
