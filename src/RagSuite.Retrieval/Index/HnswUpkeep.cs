using System.Runtime.InteropServices;

namespace RagSuite.Retrieval.Index;

/// <summary>Repair of tombstones and the checkpoint form of an <see cref="HnswGraph"/>.</summary>
internal sealed partial class HnswGraph
{
    /// <summary>
    /// Relinks every live node that points at a removed one, choosing again among its live links and the removed
    /// nodes' live links (the two-hop neighbourhood a search would have walked through), then frees the removed nodes
    /// for reuse. Cost grows with the tombstones' neighbourhoods, not with the graph.
    /// </summary>
    public void Repair()
    {
        if (Tombstones == 0) return;
        for (var node = 0; node < _nodes; node++)
        {
            if (!IsLive(node)) continue;
            for (var layer = 0; layer <= _levels[node]; layer++)
            {
                var links = Links(node, layer);
                var damaged = false;
                foreach (var link in links) damaged |= _removed[link];
                if (damaged) Relink(node, layer);
            }
        }
        _entry = Unused;
        _top = -1;
        for (var node = 0; node < _nodes; node++)
        {
            if (_removed[node] && _levels[node] != Freed)
            {
                _labels[node] = Unused;
                _levels[node] = Freed;
                _layer0[node][0] = 0;
                _upper[node] = [];
                _free.Push(node);
            }
            else if (IsLive(node) && _levels[node] > _top)
            {
                _entry = node;
                _top = _levels[node];
            }
        }
        Tombstones = 0;
    }

    private void Relink(int node, int layer)
    {
        var seen = new HashSet<int> { node };
        var candidates = new List<Candidate>();
        foreach (var link in Links(node, layer))
        {
            if (!_removed[link])
            {
                if (seen.Add(link)) candidates.Add(new Candidate(link, Similarity(node, link)));
                continue;
            }
            if (_levels[link] < layer) continue;
            foreach (var second in Links(link, layer))
            {
                if (!_removed[second] && seen.Add(second)) candidates.Add(new Candidate(second, Similarity(node, second)));
            }
        }
        candidates.Sort((x, y) => y.Score.CompareTo(x.Score));
        SetLinks(node, layer, SelectNeighbours(candidates, layer == 0 ? 2 * _m : _m));
    }

    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(_nodes);
        writer.Write(Count);
        writer.Write(Tombstones);
        writer.Write(_entry);
        writer.Write(_top);
        writer.Write(_codes is not null);
        _vectors?.WriteTo(writer, _nodes);
        _layer0.WriteTo(writer, _nodes);
        BinaryArrays.Write<int>(writer, _levels.AsSpan(0, _nodes));
        BinaryArrays.Write<int>(writer, _labels.AsSpan(0, _nodes));
        BinaryArrays.Write<byte>(writer, MemoryMarshal.AsBytes(_removed.AsSpan(0, _nodes)));
        for (var node = 0; node < _nodes; node++)
        {
            foreach (var layer in _upper[node]) BinaryArrays.Write<int>(writer, layer);
        }
        BinaryArrays.Write<int>(writer, [.. _free]);
        _codes?.WriteTo(writer, _nodes);
    }

    /// <summary>A graph as <see cref="WriteTo"/> wrote it; <see cref="InvalidDataException"/> when the bytes do not hold a consistent one.</summary>
    public static HnswGraph ReadFrom(BinaryReader reader, int dimension, int m, int efConstruction)
    {
        var nodes = reader.ReadInt32();
        var count = reader.ReadInt32();
        var tombstones = reader.ReadInt32();
        var entry = reader.ReadInt32();
        var top = reader.ReadInt32();
        var int8 = reader.ReadBoolean();
        var graph = new HnswGraph(dimension, m, efConstruction, int8);
        if (nodes < 0 || count < 0 || tombstones < 0 || count + tombstones > nodes) throw new InvalidDataException("graph counts disagree");
        graph._nodes = nodes;
        graph.Count = count;
        graph.Tombstones = tombstones;
        if (!int8) graph._vectors = RowPages<float>.ReadFrom(reader, dimension, nodes);
        graph._layer0 = RowPages<int>.ReadFrom(reader, graph.Layer0Width, nodes);
        graph._levels = BinaryArrays.Read<int>(reader);
        graph._labels = BinaryArrays.Read<int>(reader);
        graph._removed = [.. BinaryArrays.Read<byte>(reader).Select(b => b != 0)];
        if (graph._levels.Length != nodes || graph._labels.Length != nodes || graph._removed.Length != nodes)
        {
            throw new InvalidDataException("graph arrays do not match its node count");
        }
        if (entry < Unused || entry >= nodes || top < -1 || (entry == Unused) != (top == -1)) throw new InvalidDataException("graph entry point out of range");
        graph._entry = entry;
        graph._top = top;
        graph._upper = new int[nodes][][];
        for (var node = 0; node < nodes; node++)
        {
            var level = graph._levels[node];
            if (level < Freed || level > 64) throw new InvalidDataException($"node {node} has level {level}");
            graph._upper[node] = [.. Enumerable.Range(0, Math.Max(0, level)).Select(_ => BinaryArrays.Read<int>(reader))];
            for (var layer = 0; layer <= level; layer++)
            {
                var block = layer == 0 ? graph._layer0[node] : graph._upper[node][layer - 1];
                if (layer > 0 && block.Length != m + 1) throw new InvalidDataException($"node {node} has a malformed layer {layer}");
                if (block[0] < 0 || block[0] > block.Length - 1) throw new InvalidDataException($"node {node} has {block[0]} links on layer {layer}");
                foreach (var link in block.Slice(1, block[0]))
                {
                    if (link < 0 || link >= nodes) throw new InvalidDataException($"node {node} links to node {link} of {nodes}");
                }
            }
        }
        foreach (var free in BinaryArrays.Read<int>(reader).Reverse())
        {
            if (free < 0 || free >= nodes) throw new InvalidDataException($"free node {free} of {nodes}");
            graph._free.Push(free);
        }
        if (int8) graph._codes = Int8Vectors.ReadFrom(reader, dimension, nodes);
        return graph;
    }
}
