using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using RagSuite.Models.Onnx;
using RagSuite.Models.Onnx.Proto;
using DataType = RagSuite.Models.Onnx.Proto.TensorProto.Types.DataType;

namespace RagSuite.Models.Quantization;

/// <summary>
/// Dynamic int8 quantisation of an ONNX model's MatMul weights, as ONNX Runtime's <c>quantize_dynamic</c> does it.
/// Every default-domain <c>MatMul</c> whose second input is a 2-D float32 initializer [K, N] becomes
/// <c>DynamicQuantizeLinear(A)</c> (uint8 activations, scale and zero point computed per call),
/// <c>MatMulInteger(A_q, W_q, A_zp, 0)</c> with the weight stored as int8 per output column (symmetric),
/// <c>Cast</c> to float, and <c>Mul</c> by <c>A_scale · W_scale</c>: the pattern ONNX Runtime's CPU provider fuses
/// into one <c>DynamicQuantizeMatMul</c> (taking a following bias <c>Add</c> in too). Everything else (other nodes,
/// MatMuls of two activations, metadata, opsets, fields this reader does not model) is kept as it was.
/// </summary>
public static class Int8Quantizer
{
    /// <summary>DynamicQuantizeLinear arrived in opset 11 (MatMulInteger in 10).</summary>
    public const int MinimumOpset = 11;

    /// <summary>The metadata key that records how the model was quantised.</summary>
    public const string MetadataKey = "ragsuite.quantization";

    // Full int8 range for weights: [-127, 127], symmetric as quantize_dynamic's default.
    private const int FullLimit = 127;

    // 7-bit weights, [-63, 63], the default: 255 · 63 · 2 < 32768, so the u8·s8 pair sums of x86 CPUs without VNNI
    // (VPMADDUBSW, on AVX2 and early AVX-512) never saturate at int16. Measured on USE-lite over 200 Cranfield passages
    // (minimum cosine with float32): full range 0.9987 with VNNI but 0.955 where those sums saturate (emulated);
    // 7-bit 0.997 on both. The file is the same size, so a model that may be served on any CPU gives up 0.001 of
    // cosine rather than risk 0.04.
    private const int ReducedLimit = 63;

    /// <summary>
    /// Quantises the model at <paramref name="sourcePath"/> and writes the result to <paramref name="targetPath"/>.
    /// <paramref name="reduceRange"/> keeps weights in 7 bits, which no x86 int8 kernel saturates; false uses the full
    /// 8 bits, slightly closer to float32 where the CPU has VNNI and much further from it where it has not.
    /// </summary>
    public static QuantizationSummary Quantize(string sourcePath, string targetPath, bool reduceRange = true)
    {
        var model = OnnxModelFile.Read(sourcePath);
        var summary = Quantize(model, reduceRange);
        OnnxModelFile.Write(model, targetPath);
        return summary;
    }

    /// <summary>
    /// Rewrites <paramref name="model"/> in place. Refuses, with an <see cref="InvalidDataException"/> and leaving the
    /// model untouched, a model with external data, an opset below 11, or no MatMul with a constant 2-D float weight.
    /// </summary>
    public static QuantizationSummary Quantize(ModelProto model, bool reduceRange = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph ?? throw new InvalidDataException("the model has no graph.");
        if (OnnxGraphs.Tensors(graph).FirstOrDefault(IsExternal) is { } external)
        {
            throw new InvalidDataException($"tensor '{external.Name}' keeps its data in a separate file (ONNX external data); " +
                "only a model whose weights are all inside its .onnx file can be quantised.");
        }
        var opset = model.OpsetImport.Where(o => IsDefaultDomain(o.Domain)).Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (opset < MinimumOpset)
        {
            // Raising the opset could change what the model's other operators mean (Clip, Pad, Resize did change).
            throw new InvalidDataException($"the model imports ONNX opset {opset}; DynamicQuantizeLinear needs opset {MinimumOpset} or newer, " +
                $"so export the model again at opset {MinimumOpset} or later.");
        }

        var before = model.CalculateSize();
        var rewrite = new Rewrite(graph, reduceRange ? ReducedLimit : FullLimit);
        var nodes = rewrite.Run();
        if (rewrite.Quantized == 0)
        {
            throw new InvalidDataException("the model has no MatMul whose second input is a 2-D float32 initializer" +
                (rewrite.Others > 0 ? $" (its {rewrite.Others} MatMul(s) multiply values computed at run time)" : "") +
                ", so there is nothing to quantise; a model that is already quantised has none either.");
        }

        graph.Node.Clear();
        graph.Node.Add(nodes);
        graph.Initializer.Add(rewrite.NewInitializers);
        // Float weights that nothing reads any more go; one that another node also reads (a tied embedding) stays.
        var read = OnnxGraphs.ReadNames(graph);
        var unused = rewrite.QuantizedWeights.Where(name => !read.Contains(name)).ToHashSet();
        RemoveWhere(graph.Initializer, i => unused.Contains(i.Name));
        RemoveWhere(graph.ValueInfo, v => unused.Contains(v.Name));
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = MetadataKey,
            Value = string.Create(CultureInfo.InvariantCulture,
                $"dynamic int8: {rewrite.Quantized} MatMul weights per output column in [-{rewrite.Limit}, {rewrite.Limit}], uint8 activations"),
        });
        return new QuantizationSummary(rewrite.Quantized, rewrite.Others, before, model.CalculateSize());
    }

    private static bool IsExternal(TensorProto tensor) =>
        tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0;

    private static bool IsDefaultDomain(string domain) => domain is "" or "ai.onnx";

    private static void RemoveWhere<T>(Google.Protobuf.Collections.RepeatedField<T> items, Func<T, bool> remove)
    {
        var kept = items.Where(item => !remove(item)).ToList();
        items.Clear();
        items.Add(kept);
    }

    /// <summary>One pass over the graph's nodes, collecting the replacement node list and the new initializers.</summary>
    private sealed class Rewrite(GraphProto graph, int limit)
    {
        private readonly Dictionary<string, TensorProto> _constants = graph.Initializer.GroupBy(i => i.Name).ToDictionary(g => g.Key, g => g.Last());
        // An initializer that is also a graph input can be replaced by the caller at run time, so it is no constant.
        private readonly HashSet<string> _inputs = [.. graph.Input.Select(i => i.Name)];
        private readonly HashSet<string> _names = OnnxGraphs.AllNames(graph);
        private readonly HashSet<string> _nodeNames = [.. graph.Node.Select(n => n.Name)];
        private readonly Dictionary<string, (string Values, string Scale, string ZeroPoint)> _activations = [];
        private readonly Dictionary<string, (string Values, string Scales)> _weights = [];
        private string? _zeroPoint;

        public int Limit => limit;

        public int Quantized { get; private set; }

        public int Others { get; private set; }

        public List<TensorProto> NewInitializers { get; } = [];

        public IEnumerable<string> QuantizedWeights => _weights.Keys;

        public List<NodeProto> Run()
        {
            var nodes = new List<NodeProto>(graph.Node.Count);
            foreach (var node in graph.Node)
            {
                if (node.OpType != "MatMul" || !IsDefaultDomain(node.Domain) || node.Input.Count != 2 || node.Output.Count != 1)
                {
                    nodes.Add(node);
                }
                else if (!_constants.TryGetValue(node.Input[1], out var weight) || _inputs.Contains(weight.Name) || !IsMatrix(weight))
                {
                    Others++;
                    nodes.Add(node);
                }
                else
                {
                    Replace(node, weight, nodes);
                    Quantized++;
                }
            }
            return nodes;
        }

        private static bool IsMatrix(TensorProto weight) =>
            weight.DataType == (int)DataType.Float && weight.Dims.Count == 2 && weight.Dims[0] > 0 && weight.Dims[1] > 0 &&
            weight.Dims[0] * weight.Dims[1] <= int.MaxValue;

        private void Replace(NodeProto matMul, TensorProto weight, List<NodeProto> nodes)
        {
            var input = matMul.Input[0];
            var output = matMul.Output[0];
            var prefix = string.IsNullOrEmpty(matMul.Name) ? output : matMul.Name;
            // One DynamicQuantizeLinear per activation, however many MatMuls read it (query, key and value projections).
            if (!_activations.TryGetValue(input, out var activation))
            {
                activation = (Fresh(input + "_quantized"), Fresh(input + "_scale"), Fresh(input + "_zero_point"));
                nodes.Add(Node("DynamicQuantizeLinear", input + "_DynamicQuantizeLinear", [input], [activation.Values, activation.Scale, activation.ZeroPoint]));
                _activations[input] = activation;
            }
            var quantized = QuantizedWeight(weight);
            _zeroPoint ??= AddInitializer("matmul_weight_zero_point", DataType.Int8, [0], []);

            var integers = Fresh(output + "_int32");
            nodes.Add(Node("MatMulInteger", prefix + "_MatMulInteger", [activation.Values, quantized.Values, activation.ZeroPoint, _zeroPoint], [integers]));
            var floats = Fresh(output + "_cast");
            nodes.Add(Node("Cast", prefix + "_Cast", [integers], [floats],
                new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)DataType.Float }));
            var scales = Fresh(output + "_scales");
            nodes.Add(Node("Mul", prefix + "_scales_Mul", [activation.Scale, quantized.Scales], [scales]));
            nodes.Add(Node("Mul", prefix + "_output_Mul", [floats, scales], [output]));
        }

        private (string Values, string Scales) QuantizedWeight(TensorProto weight)
        {
            if (_weights.TryGetValue(weight.Name, out var known)) return known;
            int rows = (int)weight.Dims[0], columns = (int)weight.Dims[1];
            var quantized = ColumnQuantizedWeight.Quantize(TensorFloats.Read(weight), rows, columns, limit, weight.Name);
            var names = (
                AddInitializer(weight.Name + "_quantized", DataType.Int8, MemoryMarshal.AsBytes(quantized.Values.AsSpan()), [rows, columns]),
                AddInitializer(weight.Name + "_scale", DataType.Float, MemoryMarshal.AsBytes(quantized.Scales.AsSpan()), [columns]));
            _weights[weight.Name] = names;
            return names;
        }

        private string AddInitializer(string wanted, DataType type, ReadOnlySpan<byte> data, long[] dims)
        {
            var tensor = new TensorProto { Name = Fresh(wanted), DataType = (int)type, RawData = ByteString.CopyFrom(data) };
            tensor.Dims.Add(dims);
            NewInitializers.Add(tensor);
            return tensor.Name;
        }

        private NodeProto Node(string op, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = op, Name = Unique(_nodeNames, name) };
            node.Input.Add(inputs);
            node.Output.Add(outputs);
            node.Attribute.Add(attributes);
            return node;
        }

        private string Fresh(string wanted) => Unique(_names, wanted);

        private static string Unique(HashSet<string> taken, string wanted)
        {
            var name = wanted;
            for (var i = 1; !taken.Add(name); i++) name = string.Create(CultureInfo.InvariantCulture, $"{wanted}_{i}");
            return name;
        }
    }
}
