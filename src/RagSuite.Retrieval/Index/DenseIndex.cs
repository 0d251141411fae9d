using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// A collection's dense vectors in an <see cref="HnswGraph"/> addressed by slot: the floats themselves, or (int8) only
/// their codes, the floats staying in the log. Small collections and filters that leave few points are compared with
/// every point; requests can ask for exact search; everything else walks the graph with a beam of width ef. Removed
/// points are repaired out of the graph once they make up a fifth of it.
/// </summary>
internal sealed class DenseIndex
{
    public const int DefaultM = 16;
    public const int DefaultEfConstruction = 100;

    /// <summary>Beam width when a request sets none (see the README's dense benchmark for recall against breadth).</summary>
    public const int DefaultEf = 128;

    /// <summary>Below this many live (or filter-accepted) points, comparing with every one is about as fast and exact.</summary>
    public const int ExactBelow = 4096;

    /// <summary>The widest beam a filtered search grows to.</summary>
    private const int MaxEf = 4096;

    private readonly HnswGraph _graph;
    private int[] _nodeOfSlot = [];

    public DenseIndex(int dimension, DenseIndexParameters? parameters)
        : this(new HnswGraph(dimension, M(parameters), EfConstruction(parameters), parameters?.Int8 ?? false))
    {
    }

    private DenseIndex(HnswGraph graph) => _graph = graph;

    public int Count => _graph.Count;

    public void Add(int slot, ReadOnlySpan<float> unitVector)
    {
        if (slot >= _nodeOfSlot.Length)
        {
            var old = _nodeOfSlot.Length;
            Array.Resize(ref _nodeOfSlot, Math.Max(slot + 1, old * 2));
            Array.Fill(_nodeOfSlot, -1, old, _nodeOfSlot.Length - old);
        }
        _nodeOfSlot[slot] = _graph.Add(slot, unitVector);
    }

    public void Remove(int slot)
    {
        if (slot >= _nodeOfSlot.Length || _nodeOfSlot[slot] < 0) return;
        _graph.Remove(_nodeOfSlot[slot]);
        _nodeOfSlot[slot] = -1;
        if (_graph.Tombstones > Math.Max(256, _graph.Count / 5)) _graph.Repair();
    }

    /// <summary>Follows the caller's renumbering of slots (-1 for removed ones) without touching the graph's links.</summary>
    public void Relabel(int[] renumbered)
    {
        _graph.Relabel(renumbered);
        IndexLabels();
    }

    /// <summary>
    /// The best <paramref name="k"/> accepted slots by similarity, best first. <paramref name="floats"/> reads a slot's
    /// vector as compared (unit length for cosine), which a quantised index does not keep: it rescores candidates with
    /// them, and exact search compares every one.
    /// </summary>
    public List<KeyValuePair<int, float>> Search(ReadOnlySpan<float> unitQuery, int k, int ef, bool exact, Func<int, bool>? accept, VectorReader? floats)
    {
        ef = ef > 0 ? ef : DefaultEf;
        List<(int Node, float Score)> found;
        if (exact)
        {
            found = _graph.SearchExact(unitQuery, k, accept, floats);
        }
        else if (_graph.Count < ExactBelow)
        {
            found = _graph.Scan(unitQuery, k, ef, accept, floats);
        }
        else if (accept is null)
        {
            found = _graph.Search(unitQuery, k, ef, null, floats);
        }
        else
        {
            // A selective filter leaves few points near any query: compare with all of those, or widen the beam so it
            // still gathers ef accepted ones while walking past the refused.
            var share = _graph.Selectivity(accept);
            found = share * _graph.Count < ExactBelow
                ? _graph.Scan(unitQuery, k, ef, accept, floats)
                : _graph.Search(unitQuery, k, (int)Math.Min(MaxEf, ef / Math.Max(share, 0.01)), accept, floats);
        }
        return [.. found.Select(f => KeyValuePair.Create(_graph.Label(f.Node), f.Score))];
    }

    public void WriteTo(BinaryWriter writer) => _graph.WriteTo(writer);

    public static DenseIndex ReadFrom(BinaryReader reader, int dimension, DenseIndexParameters? parameters)
    {
        var index = new DenseIndex(HnswGraph.ReadFrom(reader, dimension, M(parameters), EfConstruction(parameters)));
        index.IndexLabels();
        return index;
    }

    private void IndexLabels()
    {
        var slots = 0;
        for (var node = 0; node < _graph.Capacity; node++)
        {
            if (_graph.IsLive(node)) slots = Math.Max(slots, _graph.Label(node) + 1);
        }
        _nodeOfSlot = new int[Math.Max(slots, 4)];
        Array.Fill(_nodeOfSlot, -1);
        for (var node = 0; node < _graph.Capacity; node++)
        {
            if (_graph.IsLive(node)) _nodeOfSlot[_graph.Label(node)] = node;
        }
    }

    private static int M(DenseIndexParameters? parameters) => parameters is { M: > 0 } ? parameters.M : DefaultM;

    private static int EfConstruction(DenseIndexParameters? parameters) => parameters is { EfConstruction: > 0 } ? parameters.EfConstruction : DefaultEfConstruction;
}
