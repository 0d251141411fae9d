using System.Numerics.Tensors;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// A hierarchical navigable small-world graph (Malkov and Yashunin 2018) over unit vectors, searched by dot product:
/// the store's only in-memory copy of a collection's dense vectors. Nodes are numbered densely; each carries its caller's
/// label (a slot of <see cref="CollectionIndex"/>). Layer 0 keeps up to 2M links per node in one flat array, upper
/// layers M each. Removal leaves a tombstone that searches walk through but never return; <see cref="Repair"/>
/// relinks the tombstones' neighbours around them and frees their nodes for reuse. A quantised graph keeps only int8
/// codes (<see cref="Int8Vectors"/>, a quarter of the floats' memory): it is built and walked on them, and a search
/// rescores its best candidates with float vectors read from where the caller keeps them (the log).
/// Searches may run concurrently; inserts, removals and repairs run alone.
/// </summary>
internal sealed partial class HnswGraph
{
    private const int Unused = -1;

    /// <summary>The level of a node freed by <see cref="Repair"/>, waiting for reuse.</summary>
    private const int Freed = -1;

    private readonly int _dimension;
    private readonly int _m;
    private readonly int _efConstruction;
    private readonly double _levelFactor;
    private readonly Random _random;
    private RowPages<float>? _vectors;
    private RowPages<int> _layer0;
    private int[][][] _upper = [];
    private int[] _levels = [];
    private int[] _labels = [];
    private bool[] _removed = [];
    private Int8Vectors? _codes;
    private readonly Stack<int> _free = new();
    private int _nodes;
    private int _entry = Unused;
    private int _top = -1;

    public HnswGraph(int dimension, int m, int efConstruction, bool int8, int seed = 42)
    {
        _dimension = dimension;
        _m = m;
        _efConstruction = efConstruction;
        _levelFactor = 1 / Math.Log(m);
        _random = new Random(seed);
        _layer0 = new RowPages<int>(Layer0Width);
        if (int8) _codes = new Int8Vectors(dimension);
        else _vectors = new RowPages<float>(dimension);
    }

    /// <summary>Live (not removed) nodes.</summary>
    public int Count { get; private set; }

    /// <summary>Removed nodes not yet freed by <see cref="Repair"/>.</summary>
    public int Tombstones { get; private set; }

    private int Layer0Width => 2 * _m + 1;

    public int Label(int node) => _labels[node];

    public bool IsLive(int node) => node < _nodes && !_removed[node] && _levels[node] != Freed;

    /// <summary>Nodes ever allocated (live, removed and free): the range of node numbers.</summary>
    public int Capacity => _nodes;

    /// <summary>Inserts a unit vector for <paramref name="label"/> and returns its node.</summary>
    public int Add(int label, ReadOnlySpan<float> vector)
    {
        var node = _free.Count > 0 ? _free.Pop() : Allocate();
        if (_codes is null) vector.CopyTo(_vectors![node]);
        else _codes.Set(node, vector);
        _labels[node] = label;
        _removed[node] = false;
        var level = (int)(-Math.Log(1 - _random.NextDouble()) * _levelFactor);
        _levels[node] = level;
        _layer0[node][0] = 0;
        _upper[node] = level == 0 ? [] : [.. Enumerable.Range(0, level).Select(_ => new int[_m + 1])];
        Count++;
        if (_entry == Unused)
        {
            _entry = node;
            _top = level;
            return node;
        }

        var query = ProbeOf(node);
        var visited = VisitedSet.For(_nodes);
        int[] entries = [_entry];
        for (var layer = _top; layer > level; layer--)
        {
            entries = [.. SearchLayer(query, entries, UpperBeam, layer, visited).Select(c => c.Node)];
        }
        for (var layer = Math.Min(level, _top); layer >= 0; layer--)
        {
            var found = SearchLayer(query, entries, _efConstruction, layer, visited);
            var neighbours = SelectNeighbours(found, layer == 0 ? 2 * _m : _m);
            SetLinks(node, layer, neighbours);
            foreach (var neighbour in neighbours) Link(neighbour, node, layer);
            entries = [.. found.Select(c => c.Node)];
        }
        if (level > _top)
        {
            _entry = node;
            _top = level;
        }
        return node;
    }

    /// <summary>Marks a node removed: searches pass through it but never return it.</summary>
    public void Remove(int node)
    {
        if (!IsLive(node)) return;
        _removed[node] = true;
        Count--;
        Tombstones++;
    }

    /// <summary>Points nodes at new labels after the caller renumbers its slots (-1: the label is gone).</summary>
    public void Relabel(int[] renumbered)
    {
        for (var node = 0; node < _nodes; node++)
        {
            if (_labels[node] != Unused) _labels[node] = renumbered[_labels[node]];
        }
    }

    private int Allocate()
    {
        if (_nodes == _labels.Length)
        {
            var grown = Math.Max(64, _labels.Length * 2);
            Array.Resize(ref _upper, grown);
            Array.Resize(ref _levels, grown);
            Array.Resize(ref _labels, grown);
            Array.Resize(ref _removed, grown);
            _codes?.Grow(grown);
        }
        // Pages are added one at a time, as nodes need them.
        _vectors?.Grow(_nodes + 1);
        _layer0.Grow(_nodes + 1);
        return _nodes++;
    }

    private Span<int> Links(int node, int layer) =>
        layer == 0
            ? _layer0[node].Slice(1, _layer0[node][0])
            : _upper[node][layer - 1].AsSpan(1, _upper[node][layer - 1][0]);

    private void SetLinks(int node, int layer, List<int> neighbours)
    {
        var block = layer == 0 ? _layer0[node] : _upper[node][layer - 1].AsSpan();
        block[0] = neighbours.Count;
        for (var i = 0; i < neighbours.Count; i++) block[i + 1] = neighbours[i];
    }

    /// <summary>Adds a back link; a full list is re-chosen by the neighbour heuristic.</summary>
    private void Link(int from, int to, int layer)
    {
        var max = layer == 0 ? 2 * _m : _m;
        var links = Links(from, layer);
        if (links.Length < max)
        {
            var block = layer == 0 ? _layer0[from] : _upper[from][layer - 1].AsSpan();
            block[links.Length + 1] = to;
            block[0]++;
            return;
        }
        var candidates = new List<Candidate>(links.Length + 1) { new(to, Similarity(from, to)) };
        foreach (var link in links) candidates.Add(new Candidate(link, Similarity(from, link)));
        candidates.Sort((x, y) => y.Score.CompareTo(x.Score));
        SetLinks(from, layer, SelectNeighbours(candidates, max));
    }

    /// <summary>
    /// The HNSW heuristic: take candidates (scored against the node) best first, skipping one that is closer to an
    /// already chosen neighbour than to the node, so links spread in all directions; then fill up with the best skipped ones.
    /// </summary>
    private List<int> SelectNeighbours(List<Candidate> candidatesBestFirst, int max)
    {
        var chosen = new List<int>(max);
        var skipped = new List<int>();
        foreach (var candidate in candidatesBestFirst)
        {
            if (chosen.Count == max) break;
            var diverse = true;
            foreach (var other in chosen)
            {
                if (Similarity(candidate.Node, other) > candidate.Score)
                {
                    diverse = false;
                    break;
                }
            }
            if (diverse) chosen.Add(candidate.Node);
            else skipped.Add(candidate.Node);
        }
        for (var i = 0; i < skipped.Count && chosen.Count < max; i++) chosen.Add(skipped[i]);
        return chosen;
    }

    /// <summary>The similarity of two nodes, on whatever the graph keeps of their vectors.</summary>
    private float Similarity(int a, int b) => _codes is null ? TensorPrimitives.Dot(_vectors![a], _vectors[b]) : _codes.Similarity(a, b);

    private readonly record struct Candidate(int Node, float Score);
}
