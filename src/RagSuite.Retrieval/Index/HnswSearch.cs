using System.Buffers;
using System.Numerics.Tensors;

namespace RagSuite.Retrieval.Index;

/// <summary>Search over an <see cref="HnswGraph"/>: greedy descent through the upper layers, then a beam of width ef on layer 0.</summary>
internal sealed partial class HnswGraph
{
    private const int UpperBeam = 8;

    /// <summary>
    /// How many candidates per result a quantised search rescores in float (Qdrant's "oversampling"): the codes rank
    /// well enough that the true top k lie among their best few k, and each rescored candidate costs a read of the log.
    /// </summary>
    private const int Oversampling = 3;

    /// <summary>
    /// The best <paramref name="k"/> accepted live nodes by dot product with <paramref name="query"/>, best first.
    /// Removed and refused nodes are walked through but not returned. A quantised graph walks on int8 codes and
    /// rescores the best few k with the floats <paramref name="floats"/> reads.
    /// </summary>
    public List<(int Node, float Score)> Search(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept, VectorReader? floats = null)
    {
        if (_entry == Unused || k <= 0) return [];
        ef = Math.Max(ef, k);
        var code = _codes is null ? null : new sbyte[_dimension];
        var probe = ProbeOf(query, code);
        // The upper layers are searched with a narrow beam rather than greedily: on clustered data a greedy walk can
        // stop in the wrong cluster, and layer 0 then starts from several good entries instead of one.
        var visited = VisitedSet.For(_nodes);
        int[] entries = [_entry];
        for (var layer = _top; layer > 0; layer--)
        {
            entries = [.. SearchLayer(probe, entries, UpperBeam, layer, visited).Select(c => c.Node)];
        }
        var found = SearchLayer(probe, entries, ef, 0, visited, accept);
        if (_codes is not null) Rescore(query, found, k, floats);
        return [.. found.Take(k).Select(c => (c.Node, c.Score))];
    }

    /// <summary>
    /// Compares the query with every accepted live node's float vector (read through <paramref name="floats"/> in a
    /// quantised graph): the exact reference.
    /// </summary>
    public List<(int Node, float Score)> SearchExact(ReadOnlySpan<float> query, int k, Func<int, bool>? accept, VectorReader? floats = null)
    {
        var best = new BestNodes(k);
        var vector = _codes is null ? null : ArrayPool<float>.Shared.Rent(_dimension);
        try
        {
            for (var node = 0; node < _nodes; node++)
            {
                if (!IsLive(node) || (accept is not null && !accept(_labels[node]))) continue;
                if (vector is null)
                {
                    best.Offer(node, TensorPrimitives.Dot(query, _vectors![node]));
                    continue;
                }
                Floats(floats)(_labels[node], vector.AsSpan(0, _dimension));
                best.Offer(node, TensorPrimitives.Dot(query, vector.AsSpan(0, _dimension)));
            }
        }
        finally
        {
            if (vector is not null) ArrayPool<float>.Shared.Return(vector);
        }
        return best.Ranked();
    }

    /// <summary>
    /// Compares the query with every accepted live node on what the graph keeps, for small or narrowly filtered sets:
    /// exact on floats; on int8 codes the best few k are rescored in float, as <see cref="Search"/> does.
    /// </summary>
    public List<(int Node, float Score)> Scan(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept, VectorReader? floats = null)
    {
        if (_codes is null) return SearchExact(query, k, accept);
        var code = new sbyte[_dimension];
        var probe = ProbeOf(query, code);
        var best = new BestNodes(Math.Max(ef, k));
        for (var node = 0; node < _nodes; node++)
        {
            if (IsLive(node) && (accept is null || accept(_labels[node]))) best.Offer(node, Score(probe, node));
        }
        var found = best.Ranked().Select(c => new Candidate(c.Node, c.Score)).ToList();
        Rescore(query, found, k, floats);
        return [.. found.Take(k).Select(c => (c.Node, c.Score))];
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
    private List<Candidate> SearchLayer(in Probe probe, int[] entries, int ef, int layer, VisitedSet visited, Func<int, bool>? accept = null)
    {
        var candidates = new PriorityQueue<int, float>();
        var results = new PriorityQueue<int, float>(ef + 1);
        visited.Next();
        foreach (var entry in entries)
        {
            visited.Visit(entry);
            var score = Score(probe, entry);
            candidates.Enqueue(entry, -score);
            if (Returnable(entry)) results.Enqueue(entry, score);
        }
        while (candidates.TryDequeue(out var node, out var negative))
        {
            if (results.Count >= ef && results.TryPeek(out _, out var worst) && -negative < worst) break;
            foreach (var neighbour in Links(node, layer))
            {
                if (!visited.Visit(neighbour)) continue;
                var score = Score(probe, neighbour);
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
    }

    /// <summary>Keeps the best candidates by code (best first) for a top k, rescored in float and sorted again.</summary>
    private void Rescore(ReadOnlySpan<float> query, List<Candidate> found, int k, VectorReader? floats)
    {
        var read = Floats(floats);
        if (found.Count > k * Oversampling) found.RemoveRange(k * Oversampling, found.Count - k * Oversampling);
        var vector = ArrayPool<float>.Shared.Rent(_dimension);
        try
        {
            for (var i = 0; i < found.Count; i++)
            {
                read(_labels[found[i].Node], vector.AsSpan(0, _dimension));
                found[i] = new Candidate(found[i].Node, TensorPrimitives.Dot(query, vector.AsSpan(0, _dimension)));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vector);
        }
        found.Sort((x, y) => y.Score.CompareTo(x.Score));
    }

    private static VectorReader Floats(VectorReader? floats) =>
        floats ?? throw new InvalidOperationException("A quantised graph keeps no float vectors: the search needs a reader of them.");

    /// <summary>A query as the graph compares it: a stored node's own vector or code, or a unit query (encoded into <paramref name="code"/> when quantised).</summary>
    private static Probe ProbeOf(ReadOnlySpan<float> query, sbyte[]? code) =>
        code is null ? new Probe(query, default, 0) : new Probe(default, code, Int8Vectors.Encode(query, code));

    private Probe ProbeOf(int node) =>
        _codes is null ? new Probe(_vectors![node], default, 0) : new Probe(default, _codes.Code(node), _codes.Scale(node));

    private float Score(in Probe probe, int node) =>
        _codes is null
            ? TensorPrimitives.Dot(probe.Vector, _vectors![node])
            : Int8Vectors.Dot(probe.Code, _codes.Code(node)) * probe.Scale * _codes.Scale(node);

    /// <summary>What a search compares nodes with: float components, or an int8 code and its scale in a quantised graph.</summary>
    private readonly ref struct Probe(ReadOnlySpan<float> vector, ReadOnlySpan<sbyte> code, float scale)
    {
        public ReadOnlySpan<float> Vector { get; } = vector;
        public ReadOnlySpan<sbyte> Code { get; } = code;
        public float Scale { get; } = scale;
    }

    /// <summary>The best nodes of an exhaustive pass, as a bounded min-heap.</summary>
    private sealed class BestNodes(int k)
    {
        private readonly PriorityQueue<int, float> _heap = new(k + 1);

        public void Offer(int node, float score)
        {
            if (k <= 0) return;
            if (_heap.Count < k) _heap.Enqueue(node, score);
            else if (_heap.TryPeek(out _, out var worst) && score > worst) _heap.EnqueueDequeue(node, score);
        }

        public List<(int Node, float Score)> Ranked()
        {
            var ranked = new List<(int Node, float Score)>(_heap.Count);
            while (_heap.TryDequeue(out var node, out var score)) ranked.Add((node, score));
            ranked.Reverse();
            return ranked;
        }
    }
}
