using RagSuite.Models.Onnx.Proto;

namespace RagSuite.Models.Onnx;

/// <summary>
/// Walks a graph together with the subgraphs its nodes carry (If branches, Loop and Scan bodies), since a
/// subgraph may read an outer value by name and may hold tensors of its own.
/// </summary>
public static class OnnxGraphs
{
    /// <summary>The graph itself, then every subgraph at any depth.</summary>
    public static IEnumerable<GraphProto> WithSubgraphs(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var pending = new Stack<GraphProto>([graph]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            foreach (var attribute in current.Node.SelectMany(n => n.Attribute))
            {
                if (attribute.G is { } single) pending.Push(single);
                foreach (var sub in attribute.Graphs) pending.Push(sub);
            }
        }
    }

    /// <summary>Every tensor stored in the graph or its subgraphs: initializers and tensor-valued attributes (Constant).</summary>
    public static IEnumerable<TensorProto> Tensors(GraphProto graph) =>
        WithSubgraphs(graph).SelectMany(g => g.Initializer.Concat(g.Node.SelectMany(n => n.Attribute)
            .SelectMany(a => a.T is { } tensor ? a.Tensors.Prepend(tensor) : a.Tensors)));

    /// <summary>Every value name the graph or its subgraphs read: node inputs and the graphs' outputs.</summary>
    public static HashSet<string> ReadNames(GraphProto graph) =>
        [.. WithSubgraphs(graph).SelectMany(g => g.Node.SelectMany(n => n.Input).Concat(g.Output.Select(o => o.Name)))];

    /// <summary>Every name the graph or its subgraphs define or read, so a new name can avoid them all.</summary>
    public static HashSet<string> AllNames(GraphProto graph) =>
        [.. WithSubgraphs(graph).SelectMany(g => g.Node.SelectMany(n => n.Input.Concat(n.Output))
            .Concat(g.Initializer.Select(i => i.Name))
            .Concat(g.Input.Concat(g.Output).Concat(g.ValueInfo).Select(v => v.Name)))];
}
