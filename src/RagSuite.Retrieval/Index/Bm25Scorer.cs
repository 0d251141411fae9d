using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// An inverted index over term-count sparse vectors, scored with Okapi BM25:
/// idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)) and tf(t, d)·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avgdl)),
/// summed over the query's terms and weighted by how often each occurs in the query. <see cref="TopK"/> finds the
/// best k with MaxScore pruning (Turtle and Flood 1995) over block-bounded postings; <see cref="Score"/> scores
/// every match and is the reference it must equal. Slots are added in increasing order.
/// </summary>
internal sealed class Bm25Scorer(float k1, float b)
{
    /// <summary>Head-room on score bounds, far above float rounding, so pruning never drops a hit that belongs.</summary>
    private const double BoundSlack = 1 + 1e-5;

    private readonly Dictionary<uint, PostingList> _postings = [];
    private float[] _lengths = [];
    private int _count;
    private double _totalLength;

    public int Count => _count;

    public void Add(int slot, SparseVector vector)
    {
        if (slot >= _lengths.Length)
        {
            var grown = Math.Max(slot + 1, _lengths.Length * 2);
            var old = _lengths.Length;
            Array.Resize(ref _lengths, grown);
            Array.Fill(_lengths, -1f, old, grown - old);
        }
        float length = 0;
        foreach (var value in vector.Values) length += value;
        for (var i = 0; i < vector.Indices.Count; i++)
        {
            var term = vector.Indices[i];
            if (!_postings.TryGetValue(term, out var postings)) _postings[term] = postings = new PostingList();
            postings.Append(slot, vector.Values[i], length);
        }
        _lengths[slot] = length;
        _totalLength += length;
        _count++;
    }

    public void Remove(int slot, SparseVector vector)
    {
        if (slot >= _lengths.Length || _lengths[slot] < 0) return;
        _totalLength -= _lengths[slot];
        _lengths[slot] = -1;
        _count--;
        Func<int, bool> isLive = IsLive;
        Func<int, float> lengthOf = s => _lengths[s];
        foreach (var term in vector.Indices)
        {
            if (!_postings.TryGetValue(term, out var postings)) continue;
            postings.Removed(isLive, lengthOf);
            if (postings.Live == 0) _postings.Remove(term);
        }
    }

    /// <summary>Moves every point to its new slot (same order; -1 for removed ones), as <see cref="CollectionIndex"/> renumbers.</summary>
    public void Renumber(int[] renumbered, int liveCount)
    {
        var lengths = new float[Math.Max(4, liveCount)];
        Array.Fill(lengths, -1f);
        for (var slot = 0; slot < renumbered.Length && slot < _lengths.Length; slot++)
        {
            if (renumbered[slot] >= 0) lengths[renumbered[slot]] = _lengths[slot];
        }
        _lengths = lengths;
        foreach (var (term, postings) in _postings.ToList())
        {
            postings.Renumber(renumbered, _lengths);
            if (postings.Live == 0) _postings.Remove(term);
        }
    }

    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(_count);
        writer.Write(_totalLength);
        BinaryArrays.Write<float>(writer, _lengths);
        writer.Write(_postings.Count);
        foreach (var (term, postings) in _postings)
        {
            writer.Write(term);
            postings.WriteTo(writer);
        }
    }

    public static Bm25Scorer ReadFrom(BinaryReader reader, float k1, float b)
    {
        var scorer = new Bm25Scorer(k1, b) { _count = reader.ReadInt32(), _totalLength = reader.ReadDouble(), _lengths = BinaryArrays.Read<float>(reader) };
        var terms = reader.ReadInt32();
        if (terms < 0) throw new InvalidDataException($"{terms} terms");
        scorer._postings.EnsureCapacity(terms);
        for (var i = 0; i < terms; i++)
        {
            scorer._postings[reader.ReadUInt32()] = PostingList.ReadFrom(reader);
        }
        return scorer;
    }

    /// <summary>BM25 score of every point that shares at least one term with the query.</summary>
    public Dictionary<int, float> Score(SparseVector query, Func<int, bool> accept)
    {
        var scores = new Dictionary<int, float>();
        if (_count == 0) return scores;
        var averageLength = _totalLength / _count;
        for (var i = 0; i < query.Indices.Count; i++)
        {
            if (!_postings.TryGetValue(query.Indices[i], out var postings)) continue;
            var idf = Idf(postings);
            for (var p = 0; p < postings.Count; p++)
            {
                var slot = postings.Slot(p);
                if (!IsLive(slot) || !accept(slot)) continue;
                var score = Contribution(query.Values[i], idf, postings.Frequency(p), _lengths[slot], averageLength);
                scores[slot] = scores.GetValueOrDefault(slot) + score;
            }
        }
        return scores;
    }

    /// <summary>
    /// The <paramref name="k"/> best accepted points, best first (ties by point id), with exactly the scores
    /// <see cref="Score"/> gives them. Lists whose bounds together cannot reach the k-th score only confirm
    /// candidates from the others, and a candidate is dropped as soon as its bound falls below it.
    /// </summary>
    public List<KeyValuePair<int, float>> TopK(SparseVector query, int k, Func<int, bool> accept, Func<int, string> pointId)
    {
        var top = new TopHits(k, pointId);
        if (_count == 0 || k == 0) return top.Ranked();
        if (query.Values.Any(v => !(v >= 0)))
        {
            // Bounds assume non-negative query weights; anything else is scored in full.
            foreach (var (slot, score) in Score(query, accept)) top.Offer(slot, score);
            return top.Ranked();
        }
        var averageLength = _totalLength / _count;
        var terms = new List<QueryTerm>();
        for (var i = 0; i < query.Indices.Count; i++)
        {
            if (!_postings.TryGetValue(query.Indices[i], out var postings)) continue;
            var idf = Idf(postings);
            var bound = UpperBound(query.Values[i], idf, postings.MaxFrequency, postings.MinLength, averageLength);
            terms.Add(new QueryTerm(i, postings, query.Values[i], idf, bound));
        }
        terms.Sort((x, y) => x.Bound.CompareTo(y.Bound));
        var prefix = new double[terms.Count];
        for (var t = 0; t < terms.Count; t++) prefix[t] = (t > 0 ? prefix[t - 1] : 0) + terms[t].Bound;

        var positions = new int[terms.Count];
        var contributions = new float[query.Indices.Count];
        var matched = new bool[query.Indices.Count];
        var firstEssential = 0;
        while (true)
        {
            var candidate = int.MaxValue;
            for (var t = firstEssential; t < terms.Count; t++)
            {
                if (positions[t] < terms[t].Postings.Count) candidate = Math.Min(candidate, terms[t].Postings.Slot(positions[t]));
            }
            if (candidate == int.MaxValue) break;

            if (IsLive(candidate) && accept(candidate)
                && TryScore(candidate, terms, positions, firstEssential, prefix, top.Threshold, averageLength, contributions, matched) is { } score)
            {
                top.Offer(candidate, score);
            }
            for (var t = firstEssential; t < terms.Count; t++)
            {
                if (positions[t] < terms[t].Postings.Count && terms[t].Postings.Slot(positions[t]) == candidate) positions[t]++;
            }
            var threshold = top.Threshold;
            while (firstEssential < terms.Count && prefix[firstEssential] * BoundSlack < threshold) firstEssential++;
        }
        return top.Ranked();
    }

    /// <summary>One point's score, as <see cref="Score"/> gives it, or null when it shares no term with the query.</summary>
    public float? ScoreOne(SparseVector query, int slot, SparseVector? point)
    {
        if (point is null || !IsLive(slot)) return null;
        var averageLength = _totalLength / _count;
        float? score = null;
        for (var i = 0; i < query.Indices.Count; i++)
        {
            var term = point.Indices.IndexOf(query.Indices[i]);
            if (term < 0 || !_postings.TryGetValue(query.Indices[i], out var postings)) continue;
            score = (score ?? 0) + Contribution(query.Values[i], Idf(postings), point.Values[term], _lengths[slot], averageLength);
        }
        return score;
    }

    /// <summary>The candidate's exact score, or null once its bound shows it cannot reach <paramref name="threshold"/>.</summary>
    private float? TryScore(int candidate, List<QueryTerm> terms, int[] positions, int firstEssential, double[] prefix, float threshold,
        double averageLength, float[] contributions, bool[] matched)
    {
        Array.Clear(matched);
        var length = _lengths[candidate];
        double partial = 0;
        for (var t = firstEssential; t < terms.Count; t++)
        {
            if (positions[t] < terms[t].Postings.Count && terms[t].Postings.Slot(positions[t]) == candidate)
            {
                partial += Match(terms[t], positions[t], length, averageLength, contributions, matched);
            }
        }
        // The other lists, most promising first, only while they can still lift the candidate into the top k.
        for (var t = firstEssential - 1; t >= 0; t--)
        {
            if ((partial + prefix[t]) * BoundSlack < threshold) return null;
            var postings = terms[t].Postings;
            positions[t] = postings.Seek(positions[t], candidate);
            if (positions[t] < postings.Count && postings.Slot(positions[t]) == candidate)
            {
                partial += Match(terms[t], positions[t], length, averageLength, contributions, matched);
            }
        }
        // Summed in query order, as Score sums, so both give the same float.
        float score = 0;
        for (var i = 0; i < matched.Length; i++)
        {
            if (matched[i]) score += contributions[i];
        }
        return score;
    }

    private float Match(QueryTerm term, int position, float length, double averageLength, float[] contributions, bool[] matched)
    {
        var contribution = Contribution(term.Weight, term.Idf, term.Postings.Frequency(position), length, averageLength);
        contributions[term.QueryIndex] = contribution;
        matched[term.QueryIndex] = true;
        return contribution;
    }

    private bool IsLive(int slot) => _lengths[slot] >= 0;

    private double Idf(PostingList postings) => Math.Log(1 + (_count - postings.Live + 0.5) / (postings.Live + 0.5));

    private float Contribution(float queryWeight, double idf, float frequency, float length, double averageLength) =>
        (float)(queryWeight * idf * frequency * (k1 + 1) / (frequency + k1 * (1 - b + b * length / averageLength)));

    /// <summary>No contribution of the list exceeds this: BM25's term part grows with the frequency and falls with the length.</summary>
    private double UpperBound(float queryWeight, double idf, float maxFrequency, float minLength, double averageLength) =>
        queryWeight * idf * maxFrequency * (k1 + 1) / (maxFrequency + k1 * (1 - b + b * minLength / averageLength)) * BoundSlack;

    private sealed record QueryTerm(int QueryIndex, PostingList Postings, float Weight, double Idf, double Bound);
}
