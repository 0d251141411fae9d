using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// An inverted index over term-count sparse vectors, scored with Okapi BM25:
/// idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)) and tf(t, d)·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avgdl)),
/// summed over the query's terms and weighted by how often each occurs in the query. <see cref="TopK"/> finds the
/// best k with MaxScore pruning (Turtle and Flood 1995) and block-max bounds over compressed postings; <see cref="Score"/> scores
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
    public Dictionary<int, float> Score(SparseVector query, Func<int, bool>? accept)
    {
        var scores = new Dictionary<int, float>();
        if (_count == 0) return scores;
        var averageLength = _totalLength / _count;
        Span<int> slots = stackalloc int[PostingList.BlockSize];
        Span<float> frequencies = stackalloc float[PostingList.BlockSize];
        for (var i = 0; i < query.Indices.Count; i++)
        {
            if (!_postings.TryGetValue(query.Indices[i], out var postings)) continue;
            var idf = Idf(postings);
            for (var block = 0; block < postings.Blocks; block++)
            {
                var n = postings.Decode(block, slots, frequencies);
                for (var p = 0; p < n; p++)
                {
                    var slot = slots[p];
                    if (!IsLive(slot) || (accept is not null && !accept(slot))) continue;
                    var score = Contribution(query.Values[i], idf, frequencies[p], _lengths[slot], averageLength);
                    scores[slot] = scores.GetValueOrDefault(slot) + score;
                }
            }
        }
        return scores;
    }

    /// <summary>
    /// The <paramref name="k"/> best accepted points, best first (ties by point id), with exactly the scores
    /// <see cref="Score"/> gives them. Term-at-a-time MaxScore (Turtle and Flood 1995) over an accumulator array:
    /// the lists with the highest score bounds are added up first; once the bounds of the lists left cannot lift an
    /// unseen point past the k-th partial score, no new candidates are taken, and only candidates whose partial score
    /// plus those bounds can still reach the top k are scored exactly, in query order, as <see cref="Score"/> scores.
    /// </summary>
    public List<KeyValuePair<int, float>> TopK(SparseVector query, int k, Func<int, bool>? accept, Func<int, string> pointId)
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
            terms.Add(new QueryTerm(i, postings, query.Values[i], idf, UpperBound(query.Values[i], idf, postings.MaxFrequency, postings.MinLength, averageLength)));
        }
        terms.Sort((x, y) => y.Bound.CompareTo(x.Bound));
        var remaining = new double[terms.Count + 1];
        for (var t = terms.Count - 1; t >= 0; t--) remaining[t] = remaining[t + 1] + terms[t].Bound;

        var scratch = Accumulators.For(_lengths.Length);
        try
        {
            var threshold = double.NegativeInfinity;
            var gathered = 0;
            for (; gathered < terms.Count && remaining[gathered] * BoundSlack >= threshold; gathered++)
            {
                Accumulate(terms[gathered], averageLength, accept, scratch);
                if (scratch.Candidates.Count >= k && remaining[gathered + 1] * BoundSlack < scratch.Max)
                {
                    threshold = scratch.KthLargest(scratch.Candidates, k) / BoundSlack;
                }
            }
            ScoreCandidates(terms, gathered, remaining, threshold, k, averageLength, scratch, top);
        }
        finally
        {
            scratch.Clear();
        }
        return top.Ranked();
    }

    /// <summary>Adds one list's contributions to the accumulators; a point is checked for life and filter when first met.</summary>
    private void Accumulate(QueryTerm term, double averageLength, Func<int, bool>? accept, Accumulators scratch)
    {
        var postings = term.Postings;
        var scores = scratch.Scores;
        Span<int> slots = stackalloc int[PostingList.BlockSize];
        Span<float> frequencies = stackalloc float[PostingList.BlockSize];
        for (var block = 0; block < postings.Blocks; block++)
        {
            var n = postings.Decode(block, slots, frequencies);
            for (var p = 0; p < n; p++)
            {
                var slot = slots[p];
                var score = scores[slot];
                if (score == Accumulators.Rejected) continue;
                if (score == Accumulators.Unseen)
                {
                    scratch.Candidates.Add(slot);
                    if (!IsLive(slot) || (accept is not null && !accept(slot)))
                    {
                        scores[slot] = Accumulators.Rejected;
                        continue;
                    }
                    score = 0;
                }
                score += Contribution(term.Weight, term.Idf, frequencies[p], _lengths[slot], averageLength);
                scores[slot] = score;
                if (score > scratch.Max) scratch.Max = score;
            }
        }
    }

    /// <summary>
    /// Adds the lists not yet accumulated to the candidates only, one list at a time, most promising first, dropping
    /// after each list every candidate whose partial score plus what the lists left can add falls below the k-th partial
    /// score; then scores the survivors exactly, in query order, as <see cref="Score"/> scores. Candidates are kept in
    /// slot order, so each list is read forward.
    /// </summary>
    private void ScoreCandidates(List<QueryTerm> terms, int gathered, double[] remaining, double threshold, int k, double averageLength,
        Accumulators scratch, TopHits top)
    {
        var scores = scratch.Scores;
        var alive = scratch.Alive;
        alive.AddRange(scratch.Candidates);
        // Pruned before sorting: most candidates go, and the sort is the larger cost.
        Prune(alive, scores, remaining[gathered], threshold);
        alive.Sort();
        for (var t = gathered; t < terms.Count && alive.Count > 0; t++)
        {
            var term = terms[t];
            var cursor = scratch.Cursor(0, term.Postings);
            var boundedBlock = -1;
            var blockBound = 0.0;
            foreach (var slot in alive)
            {
                var block = cursor.BlockOf(slot);
                if (block < 0) break;
                if (block != boundedBlock)
                {
                    blockBound = UpperBound(term.Weight, term.Idf, term.Postings.BlockMaxFrequency(block), term.Postings.BlockMinLength(block), averageLength);
                    boundedBlock = block;
                }
                // Block-max: a candidate that this block's best posting cannot lift to the threshold is dropped unread.
                if ((scores[slot] + blockBound + remaining[t + 1]) * BoundSlack < threshold)
                {
                    scores[slot] = Accumulators.Rejected;
                    continue;
                }
                if (cursor.TryGet(slot, out var frequency)) scores[slot] += Contribution(term.Weight, term.Idf, frequency, _lengths[slot], averageLength);
            }
            if (alive.Count >= k) threshold = Math.Max(threshold, scratch.KthLargest(alive, k) / BoundSlack);
            Prune(alive, scores, remaining[t + 1], threshold);
        }

        var byQuery = terms.OrderBy(t => t.QueryIndex).ToArray();
        var cursors = new PostingCursor[byQuery.Length];
        for (var t = 0; t < byQuery.Length; t++) cursors[t] = scratch.Cursor(t, byQuery[t].Postings);
        foreach (var slot in alive)
        {
            // Summed in query order, as Score sums, so both give the same float.
            float score = 0;
            for (var t = 0; t < byQuery.Length; t++)
            {
                if (cursors[t].TryGet(slot, out var frequency)) score += Contribution(byQuery[t].Weight, byQuery[t].Idf, frequency, _lengths[slot], averageLength);
            }
            top.Offer(slot, score);
        }
    }

    /// <summary>Keeps the candidates, in order, whose partial score plus <paramref name="unseen"/> may still reach <paramref name="threshold"/>.</summary>
    private static void Prune(List<int> candidates, float[] scores, double unseen, double threshold)
    {
        var kept = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var slot = candidates[i];
            if (scores[slot] >= 0 && (scores[slot] + unseen) * BoundSlack >= threshold) candidates[kept++] = slot;
        }
        candidates.RemoveRange(kept, candidates.Count - kept);
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

    private bool IsLive(int slot) => _lengths[slot] >= 0;

    private double Idf(PostingList postings) => Math.Log(1 + (_count - postings.Live + 0.5) / (postings.Live + 0.5));

    private float Contribution(float queryWeight, double idf, float frequency, float length, double averageLength) =>
        (float)(queryWeight * idf * frequency * (k1 + 1) / (frequency + k1 * (1 - b + b * length / averageLength)));

    /// <summary>No contribution of the list exceeds this: BM25's term part grows with the frequency and falls with the length.</summary>
    private double UpperBound(float queryWeight, double idf, float maxFrequency, float minLength, double averageLength) =>
        queryWeight * idf * maxFrequency * (k1 + 1) / (maxFrequency + k1 * (1 - b + b * minLength / averageLength)) * BoundSlack;

    private sealed record QueryTerm(int QueryIndex, PostingList Postings, float Weight, double Idf, double Bound);
}
