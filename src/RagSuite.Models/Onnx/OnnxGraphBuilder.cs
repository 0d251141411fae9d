using System.Runtime.InteropServices;
using Google.Protobuf;
using RagSuite.Models.Onnx.Proto;
using DataType = RagSuite.Models.Onnx.Proto.TensorProto.Types.DataType;

namespace RagSuite.Models.Onnx;

/// <summary>
/// Writes an ONNX graph node by node: named inputs and outputs with symbolic or fixed dimensions,
/// initializers from arrays, and operators with their attributes. Every node gets a unique output name.
/// </summary>
public sealed class OnnxGraphBuilder(string graphName)
{
    public const int Opset = 17;
    private const int IrVersion = 8;

    private readonly GraphProto _graph = new() { Name = graphName };
    private int _nodes;

    public void Input(string name, DataType type, params object[] dims) => _graph.Input.Add(ValueInfo(name, type, dims));

    public void Output(string name, DataType type, params object[] dims) => _graph.Output.Add(ValueInfo(name, type, dims));

    public string Initializer(string name, ReadOnlySpan<float> data, params long[] dims) =>
        AddInitializer(name, DataType.Float, MemoryMarshal.AsBytes(data), dims);

    public string Initializer(string name, ReadOnlySpan<long> data, params long[] dims) =>
        AddInitializer(name, DataType.Int64, MemoryMarshal.AsBytes(data), dims);

    public string Initializer(string name, ReadOnlySpan<sbyte> data, params long[] dims) =>
        AddInitializer(name, DataType.Int8, MemoryMarshal.AsBytes(data), dims);

    /// <summary>A float scalar constant.</summary>
    public string Scalar(string name, float value) => Initializer(name, [value]);

    /// <summary>An int64 scalar constant.</summary>
    public string Scalar(string name, long value) => Initializer(name, [value]);

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, string[] inputs, params (string Name, object Value)[] attributes) =>
        Node(op, inputs, 1, attributes)[0];

    public string[] Node(string op, string[] inputs, int outputs, params (string Name, object Value)[] attributes)
    {
        var id = _nodes++;
        var node = new NodeProto { OpType = op, Name = $"{op}_{id}" };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputs; i++) node.Output.Add($"{op}_{id}_out{i}");
        node.Attribute.AddRange(attributes.Select(a => Attribute(a.Name, a.Value)));
        _graph.Node.Add(node);
        return [.. node.Output];
    }

    /// <summary>Renames the output of the node that produced <paramref name="value"/>, so it can be a graph output.</summary>
    public void Rename(string value, string name)
    {
        foreach (var node in _graph.Node)
        {
            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == value) node.Output[i] = name;
            }
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == value) node.Input[i] = name;
            }
        }
    }

    public ModelProto Build(string producerVersion, IDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ragsuite",
            ProducerVersion = producerVersion,
            Graph = _graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
        };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return model;
    }

    private string AddInitializer(string name, DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value) => value switch
    {
        int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        long l => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = l },
        float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
        string s => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) },
        long[] ints => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } },
        _ => throw new ArgumentException($"Attribute '{name}' has an unsupported type {value.GetType().Name}.", nameof(value)),
    };
}
