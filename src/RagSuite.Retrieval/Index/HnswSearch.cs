using System.Numerics.Tensors;

namespace RagSuite.Retrieval.Index;

/// <summary>Search over an <see cref="HnswGraph"/>: greedy descent through the upper layers, then a beam of width ef on layer 0.</summary>
internal sealed partial class HnswGraph
{
    private const int UpperBeam = 8;

    /// <summary>
    /// The best <paramref name="k"/> accepted live nodes by dot product with <paramref name="query"/>, best first.
    /// Removed and refused nodes are walked through but not returned; with int8 codes the beam compares codes and
    /// the best max(ef, k) are rescored in float.
    /// </summary>
    public List<(int Node, float Score)> Search(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept)
    {
        if (_entry == Unused || k <= 0) return [];
        ef = Math.Max(ef, k);
        var code = _codes?.Encode(query);
        // The upper layers are searched with a narrow beam rather than greedily: on clustered data a greedy walk can
        // stop in the wrong cluster, and layer 0 then starts from several good entries instead of one.
        var visited = VisitedSet.For(_nodes);
        int[] entries = [_entry];
        for (var layer = _top; layer > 0; layer--)
        {
            entries = [.. SearchLayer(query, entries, UpperBeam, layer, visited, exactDistances: true).Select(c => c.Node)];
        }
        var found = SearchLayer(query, entries, ef, 0, visited, exactDistances: code is null, code, accept);
        if (code is not null)
        {
            for (var i = 0; i < found.Count; i++) found[i] = new Candidate(found[i].Node, Similarity(query, found[i].Node));
            found.Sort((x, y) => y.Score.CompareTo(x.Score));
        }
        return [.. found.Take(k).Select(c => (c.Node, c.Score))];
    }

    /// <summary>Compares the query with every accepted live node: the exact reference, and the search of small or narrowly filtered sets.</summary>
    public List<(int Node, float Score)> SearchExact(ReadOnlySpan<float> query, int k, Func<int, bool>? accept)
    {
        var best = new PriorityQueue<int, float>(k + 1);
        for (var node = 0; node < _nodes; node++)
        {
            if (!IsLive(node) || (accept is not null && !accept(_labels[node]))) continue;
            var score = Similarity(query, node);
            if (best.Count < k) best.Enqueue(node, score);
            else if (best.TryPeek(out _, out var worst) && score > worst) best.EnqueueDequeue(node, score);
        }
        var ranked = new List<(int Node, float Score)>(best.Count);
        while (best.TryDequeue(out var node, out var score)) ranked.Add((node, score));
        ranked.Reverse();
        return ranked;
    }

    /// <summary>The share of live nodes a filter accepts, estimated from a sample of them.</summary>
    public double Selectivity(Func<int, bool> accept, int sample = 256)
    {
        if (Count == 0) return 0;
        var random = new Random(_nodes);
        int seen = 0, accepted = 0;
        for (var tries = 0; seen < sample && tries < sample * 8; tries++)
        {
            var node = random.Next(_nodes);
            if (!IsLive(node)) continue;
            seen++;
            if (accept(_labels[node])) accepted++;
        }
        return seen == 0 ? 0 : (double)accepted / seen;
    }

    /// <summary>The beam search of one layer; returns up to ef returnable nodes, best first.</summary>
    private List<Candidate> SearchLayer(ReadOnlySpan<float> query, int[] entries, int ef, int layer, VisitedSet visited, bool exactDistances,
        sbyte[]? code = null, Func<int, bool>? accept = null)
    {
        var queryScale = code is null ? 0 : Int8Vectors.Scale(query);
        var candidates = new PriorityQueue<int, float>();
        var results = new PriorityQueue<int, float>(ef + 1);
        visited.Next();
        foreach (var entry in entries)
        {
            visited.Visit(entry);
            var score = Score(query, entry);
            candidates.Enqueue(entry, -score);
            if (Returnable(entry)) results.Enqueue(entry, score);
        }
        while (candidates.TryDequeue(out var node, out var negative))
        {
            if (results.Count >= ef && results.TryPeek(out _, out var worst) && -negative < worst) break;
            foreach (var neighbour in Links(node, layer))
            {
                if (!visited.Visit(neighbour)) continue;
                var score = Score(query, neighbour);
                if (results.Count >= ef && results.TryPeek(out _, out var floor) && score <= floor) continue;
                candidates.Enqueue(neighbour, -score);
                if (!Returnable(neighbour)) continue;
                results.Enqueue(neighbour, score);
                if (results.Count > ef) results.Dequeue();
            }
        }
        var found = new List<Candidate>(results.Count);
        while (results.TryDequeue(out var node, out var score)) found.Add(new Candidate(node, score));
        found.Reverse();
        return found;

        bool Returnable(int node) => !_removed[node] && (accept is null || accept(_labels[node]));

        float Score(ReadOnlySpan<float> q, int node) =>
            exactDistances || code is null ? TensorPrimitives.Dot(q, Vector(node)) : _codes!.Similarity(code, queryScale, node);
    }
}
