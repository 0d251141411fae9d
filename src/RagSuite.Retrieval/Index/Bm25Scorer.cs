using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// An inverted index over term-count sparse vectors, scored with Okapi BM25:
/// idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)) and tf(t, d)·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avgdl)),
/// summed over the query's terms and weighted by how often each occurs in the query.
/// </summary>
internal sealed class Bm25Scorer(float k1, float b)
{
    private readonly Dictionary<uint, Dictionary<int, float>> _postings = [];
    private readonly Dictionary<int, float> _lengths = [];
    private double _totalLength;

    public int Count => _lengths.Count;

    public void Add(int slot, SparseVector vector)
    {
        float length = 0;
        for (var i = 0; i < vector.Indices.Count; i++)
        {
            var term = vector.Indices[i];
            if (!_postings.TryGetValue(term, out var postings))
            {
                _postings[term] = postings = [];
            }
            postings[slot] = vector.Values[i];
            length += vector.Values[i];
        }
        _lengths[slot] = length;
        _totalLength += length;
    }

    public void Remove(int slot, SparseVector vector)
    {
        foreach (var term in vector.Indices)
        {
            if (_postings.TryGetValue(term, out var postings) && postings.Remove(slot) && postings.Count == 0)
            {
                _postings.Remove(term);
            }
        }
        if (_lengths.Remove(slot, out var length)) _totalLength -= length;
    }

    /// <summary>BM25 score of every point that shares at least one term with the query.</summary>
    public Dictionary<int, float> Score(SparseVector query, Func<int, bool> accept)
    {
        var scores = new Dictionary<int, float>();
        var n = _lengths.Count;
        if (n == 0) return scores;
        var averageLength = _totalLength / n;
        for (var i = 0; i < query.Indices.Count; i++)
        {
            if (!_postings.TryGetValue(query.Indices[i], out var postings)) continue;
            var df = postings.Count;
            var idf = Math.Log(1 + (n - df + 0.5) / (df + 0.5));
            var queryWeight = query.Values[i];
            foreach (var (slot, tf) in postings)
            {
                if (!accept(slot)) continue;
                var norm = k1 * (1 - b + b * _lengths[slot] / averageLength);
                var score = (float)(queryWeight * idf * tf * (k1 + 1) / (tf + norm));
                scores[slot] = scores.GetValueOrDefault(slot) + score;
            }
        }
        return scores;
    }
}
