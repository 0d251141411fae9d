using System.Text.Json;
using Google.Protobuf;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Models.Onnx;
using RagSuite.Models.Onnx.Proto;
using RagSuite.Models.Quantization;
using RagSuite.Models.Store;
using RagSuite.Testing;
using Xunit.Abstractions;
using DataType = RagSuite.Models.Onnx.Proto.TensorProto.Types.DataType;

namespace RagSuite.Models.Tests;

/// <summary>
/// Dynamic int8 quantisation through the models directory: USE-lite and real Hugging Face exports (tiny random BERT
/// encoder and cross-encoder) stay close to their float32 originals, the graph keeps no float MatMul weight, and the
/// models it cannot quantise are refused with a message that says why.
/// </summary>
public sealed class Int8QuantizerTests(QuantizedUseLiteFixture useLite, ITestOutputHelper output) : IClassFixture<QuantizedUseLiteFixture>
{
    // Measured (x86 with VNNI): lowest cosine 0.9965 over the sentences below, 0.9970 over 200 Cranfield passages.
    private const double UseLiteCosine = 0.995;

    // Measured: lowest cosine 1 − 9e-8, largest logit difference 0.00017 (the logits span 1.0007 to 1.0066). Random
    // weights at BERT's initial scale make the MatMuls a small part of each hidden state, so their error barely shows;
    // these models prove the rewrite runs on a real PyTorch export, USE-lite measures the accuracy.
    private const double TinyBertCosine = 0.9999;
    private const double TinyCrossEncoderLogit = 0.001;

    private static readonly string[] Sentences =
    [
        "A man is playing a guitar.",
        "Someone is strumming a guitar.",
        "The stock market fell sharply today.",
        "How do I reset my password?",
        "what is the lift of a wing",
        "Supersonic flow over a flat plate; boundary-layer transition at Mach 2.5.",
        "The cat sat on the mat.",
        "Dogs are loyal animals that love their owners.",
        "Quantum entanglement links the states of two particles regardless of distance.",
        "I'd like to book a table for two at 7 pm, please.",
        "Héllo Wörld, naïve café!",
        "Das ist ein deutscher Satz über das Wetter in Berlin.",
        "UPPER CASE AND lower case",
        "numbers 1 22 333 4444 and symbols @#$%",
        "ok",
        "Why?",
        "The heat transfer coefficient increases with the Reynolds number in turbulent pipe flow.",
        "Photosynthesis converts light energy into chemical energy stored in glucose.",
        "She sells seashells by the seashore.",
        "The committee postponed the vote until next Tuesday because two members were absent.",
        "Buy one, get one free: this weekend only!",
        "Error 404: the page you requested could not be found.",
        "def add(a, b): return a + b",
        "The Brandenburg Gate in Berlin was built from 1788 to 1791.",
        "Rain is expected across the north of the country tomorrow afternoon.",
        "My flight was delayed by three hours and I missed my connection.",
        "Mix the flour and sugar, then add two eggs and stir gently.",
        "The treaty ended a war that had lasted more than thirty years.",
        "Interest rates rose for the third consecutive quarter.",
        "A recursive function calls itself until it reaches a base case.",
        "The pressure distribution on the airfoil was measured at several angles of attack.",
        "Children were playing football in the park after school.",
        "Is it possible to grow tomatoes indoors during the winter?",
        "The museum's new exhibition features paintings from the early Renaissance.",
        "an unusually long sentence " + string.Join(' ', Enumerable.Repeat("about the boundary layer and the pressure distribution", 12)),
        "The patient reported mild headaches and occasional dizziness over the past week.",
    ];

    [UseLiteFact]
    public async Task Quantized_USE_lite_is_an_int8_folder_at_least_twice_smaller_with_the_same_tokenizer()
    {
        var (float32, int8) = await useLite.GetAsync();

        var floatBytes = new FileInfo(float32.OnnxPath).Length;
        var int8Bytes = new FileInfo(int8.Folder.OnnxPath).Length;
        output.WriteLine($"model.onnx: float32 {floatBytes:N0} bytes, int8 {int8Bytes:N0} bytes; {int8.Summary}");
        Assert.Equal("use-lite-int8", Path.GetFileName(int8.Folder.Directory));
        Assert.Equal("use-lite-int8", int8.Folder.Manifest.Name);
        Assert.Equal("int8", int8.Folder.Manifest.Precision);
        Assert.Contains("'use-lite' quantised to int8", int8.Folder.Manifest.Source, StringComparison.Ordinal);
        Assert.Equal(float32.Manifest with { Name = "", Precision = "", Source = "" }, int8.Folder.Manifest with { Name = "", Precision = "", Source = "" });
        Assert.Equal(File.ReadAllBytes(Path.Combine(float32.Directory, "vocab.json")), File.ReadAllBytes(Path.Combine(int8.Folder.Directory, "vocab.json")));
        Assert.True(File.Exists(Path.Combine(int8.Folder.Directory, "LICENSE")));
        Assert.Equal(10, int8.Summary.QuantizedMatMuls);
        Assert.Equal(int8Bytes, int8.Summary.BytesAfter);
        Assert.True(floatBytes >= 2 * int8Bytes, $"int8 model is {int8Bytes:N0} bytes, float32 {floatBytes:N0}: less than 2x smaller");
    }

    [UseLiteFact]
    public async Task Quantized_USE_lite_has_no_float_MatMul_weight_left_and_keeps_the_rest_of_the_graph()
    {
        var (float32, int8) = await useLite.GetAsync();
        var original = OnnxModelFile.Read(float32.OnnxPath);
        var quantized = OnnxModelFile.Read(int8.Folder.OnnxPath);

        var floatWeights = quantized.Graph.Initializer.Where(i => i.DataType == (int)DataType.Float && i.Dims.Count == 2).Select(i => i.Name).ToHashSet();
        Assert.DoesNotContain(quantized.Graph.Node, n => n.OpType == "MatMul" && floatWeights.Contains(n.Input[1]));
        Assert.Equal(["token_embeddings", "inverse_timescales"], floatWeights);
        Assert.Equal(10, quantized.Graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.All(quantized.Graph.Node.Where(n => n.OpType == "MatMulInteger"),
            n => Assert.Equal((int)DataType.Int8, quantized.Graph.Initializer.Single(i => i.Name == n.Input[1]).DataType));
        // The attention products multiply two activations, so they stay float.
        Assert.Equal(original.Graph.Node.Count(n => n.OpType == "MatMul") - 10, quantized.Graph.Node.Count(n => n.OpType == "MatMul"));
        // Each of the 10 becomes DynamicQuantizeLinear (one per activation; USE-lite's are all distinct), MatMulInteger,
        // Cast and two Muls; every other node stays.
        var expected = Counts(original);
        expected["MatMul"] -= 10;
        expected["Cast"] += 10;
        expected["Mul"] += 20;
        expected["MatMulInteger"] = 10;
        expected["DynamicQuantizeLinear"] = 10;
        Assert.Equal(expected.OrderBy(p => p.Key), Counts(quantized).OrderBy(p => p.Key));
        Assert.Equal(original.OpsetImport, quantized.OpsetImport);
        Assert.Equal(original.Graph.Input, quantized.Graph.Input);
        Assert.Equal(original.Graph.Output, quantized.Graph.Output);
        Assert.Equal(original.MetadataProps, quantized.MetadataProps.Where(p => p.Key != Int8Quantizer.MetadataKey));
        Assert.Contains(quantized.MetadataProps, p => p.Key == Int8Quantizer.MetadataKey && p.Value.Contains("[-63, 63]", StringComparison.Ordinal));
    }

    [UseLiteFact]
    public async Task Quantized_USE_lite_vectors_stay_close_to_float32_in_batches_and_alone()
    {
        var (float32, int8) = await useLite.GetAsync();
        using var reference = TextEncoder.Load(float32, UseLiteConversionTests.Sessions());
        using var quantized = TextEncoder.Load(int8.Folder, UseLiteConversionTests.Sessions());
        var texts = Sentences.Select(reference.Tokenizer.Encode).ToList();

        var expected = reference.Encode(texts);
        var batched = texts.Chunk(8).SelectMany(batch => quantized.Encode(batch)).ToList();
        var alone = texts.Select(text => quantized.Encode([text])[0]).ToList();

        var worst = Sentences.Select((text, i) => (Text: text, Cosine: Math.Min(Cosine(expected[i], batched[i]), Cosine(expected[i], alone[i]))))
            .MinBy(r => r.Cosine);
        output.WriteLine($"lowest cosine with float32 over {Sentences.Length} sentences: {worst.Cosine:0.00000} ('{worst.Text}')");
        Assert.True(worst.Cosine >= UseLiteCosine, $"'{worst.Text}': cosine {worst.Cosine:0.0000} with float32 is below {UseLiteCosine}");
        // The distinction the model exists for survives: paraphrases stay closer than unrelated sentences.
        Assert.True(Cosine(alone[0], alone[1]) > Cosine(alone[0], alone[2]) + 0.5);
    }

    [Fact]
    public async Task Quantized_tiny_BERT_encoder_stays_close_to_float32()
    {
        using var models = new TemporaryDirectory("ragsuite-int8");
        var folder = CopyFixture(models.Path, "tiny-bert", ModelFamilies.Bert);

        var quantized = await new ModelStore(models.Path).QuantizeAsync("tiny-bert", null, null, CancellationToken.None);

        // Two layers of query, key, value, output and two feed-forward projections; query, key and value read one
        // activation, quantised once for the three.
        Assert.Equal(12, quantized.Summary.QuantizedMatMuls);
        var graph = OnnxModelFile.Read(quantized.Folder.OnnxPath).Graph;
        Assert.Equal(12, graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.Equal(8, graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
        Assert.Equal("bert", quantized.Folder.Manifest.Family);
        Assert.True(File.Exists(Path.Combine(quantized.Folder.Directory, "tokenizer.json")));
        using var reference = TextEncoder.Load(folder, UseLiteConversionTests.Sessions());
        using var int8 = TextEncoder.Load(quantized.Folder, UseLiteConversionTests.Sessions());
        var texts = References().GetProperty("sentences").EnumerateArray().Select(s => s.GetProperty("text").GetString()!).Concat(Sentences)
            .Select(reference.Tokenizer.Encode).ToList();
        var expected = reference.Encode(texts);
        var actual = int8.Encode(texts);
        var worst = expected.Zip(actual, Cosine).Min();
        output.WriteLine($"tiny BERT: {quantized.Summary}; lowest cosine with float32 over {texts.Count} sentences: 1 - {1 - worst:E2}");
        Assert.True(worst >= TinyBertCosine, $"lowest cosine with float32 is {worst:0.0000}, below {TinyBertCosine}");
    }

    [Fact]
    public async Task Quantized_tiny_cross_encoder_scores_stay_close_to_float32()
    {
        using var models = new TemporaryDirectory("ragsuite-int8");
        var folder = CopyFixture(models.Path, "tiny-cross-encoder", ModelFamilies.BertCrossEncoder);

        var quantized = await new ModelStore(models.Path).QuantizeAsync("tiny-cross-encoder", "reranker-int8", null, CancellationToken.None);

        Assert.Equal("reranker-int8", quantized.Folder.Manifest.Name);
        Assert.Equal("int8", quantized.Folder.Manifest.Precision);
        using var reference = CrossEncoder.Load(folder, UseLiteConversionTests.Sessions());
        using var int8 = CrossEncoder.Load(quantized.Folder, UseLiteConversionTests.Sessions());
        var pairs = References().GetProperty("pairs").EnumerateArray()
            .Select(p => reference.Tokenizer.EncodePair(p.GetProperty("query").GetString()!, p.GetProperty("passage").GetString()!))
            .Concat(Sentences.Skip(1).Select(s => reference.Tokenizer.EncodePair(Sentences[0], s))).ToList();
        var expected = reference.Score(pairs);
        var actual = int8.Score(pairs);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"tiny cross-encoder: {quantized.Summary}; largest logit difference over {pairs.Count} pairs: {worst:0.000000} " +
            $"(float32 logits {expected.Min():0.0000} to {expected.Max():0.0000})");
        Assert.True(worst <= TinyCrossEncoderLogit, $"largest logit difference {worst:0.0000} exceeds {TinyCrossEncoderLogit}");
    }

    public static TheoryData<string, Type, string> Refusals => new()
    {
        { "activations-only", typeof(InvalidDataException), "'activations-only' cannot be quantised: the model has no MatMul whose second input is a 2-D float32 initializer (its 1 MatMul(s) multiply values computed at run time)" },
        { "external-data", typeof(InvalidDataException), "'external-data' cannot be quantised: tensor 'weight' keeps its data in a separate file (ONNX external data)" },
        { "opset-10", typeof(InvalidDataException), "'opset-10' cannot be quantised: the model imports ONNX opset 10; DynamicQuantizeLinear needs opset 11 or newer" },
        { "already-int8", typeof(InvalidDataException), "'already-int8' is already int8; quantise the float32 model it was made from." },
        { "no-such-model", typeof(ArgumentException), "There is no model 'no-such-model' in " },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Quantize_refuses_what_it_cannot_quantise_and_says_why(string source, Type exception, string message)
    {
        using var models = new TemporaryDirectory("ragsuite-int8");
        WriteModel(models.Path, "activations-only", ActivationsOnly(), "float32");
        WriteModel(models.Path, "external-data", WithExternalWeight(), "float32");
        WriteModel(models.Path, "opset-10", WithOpset(Dense(), 10), "float32");
        WriteModel(models.Path, "already-int8", Dense(), "int8");
        var store = new ModelStore(models.Path);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.QuantizeAsync(source, null, null, CancellationToken.None));

        Assert.IsType(exception, error, exactMatch: false);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.False(store.Contains(source + ModelStore.Int8Suffix));
        Assert.Empty(Directory.EnumerateDirectories(models.Path, ".quantize-*"));
    }

    [Fact]
    public void A_weight_that_another_node_also_reads_stays_in_float_beside_its_int8_copy()
    {
        var model = Dense();
        var extra = new NodeProto { OpType = "Identity", Name = "tied", Input = { "weight" }, Output = { "tied_weight" } };
        model.Graph.Node.Add(extra);
        model.Graph.Output.Add(new ValueInfoProto { Name = "tied_weight" });

        var summary = Int8Quantizer.Quantize(model);

        Assert.Equal(1, summary.QuantizedMatMuls);
        Assert.Contains(model.Graph.Initializer, i => i.Name == "weight" && i.DataType == (int)DataType.Float);
        Assert.Contains(model.Graph.Initializer, i => i.Name == "weight_quantized" && i.DataType == (int)DataType.Int8);
    }

    [Fact]
    public void Weights_are_quantised_per_column_symmetrically_in_seven_bits()
    {
        float[] weight = [0.5f, -0.5f, 0f, -2f, 0.1f, 0f];

        var quantized = ColumnQuantizedWeight.Quantize(weight, 2, 3, 63, "w");

        Assert.Equal([2f / 63, 0.5f / 63, 1f], quantized.Scales);
        Assert.Equal(new sbyte[] { 16, -63, 0, -63, 13, 0 }, quantized.Values);
    }

    private static ModelFolder CopyFixture(string models, string fixture, string family)
    {
        var source = Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Inference.Tests", "Fixtures", "hf", fixture);
        var target = Path.Combine(models, fixture);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        new ModelManifest { Name = fixture, Family = family, Dimension = 32, MaxTokens = 48, Pooling = Pooling.Mean }.Write(target);
        return ModelFolder.Open(target);
    }

    private static JsonElement References() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Inference.Tests", "Fixtures", "hf", "references.json"))).RootElement;

    /// <summary>input_ids → embedding → one dense layer: the smallest graph with a MatMul that has a constant weight.</summary>
    private static ModelProto Dense()
    {
        var g = new OnnxGraphBuilder("dense");
        g.Input("input_ids", DataType.Int64, "batch", "sequence");
        g.Output("last_hidden_state", DataType.Float, "batch", "sequence", 4);
        var embedded = g.Node("Gather", [g.Initializer("embedding", new float[8 * 4], 8, 4), "input_ids"], ("axis", 0L));
        g.Rename(g.Node("MatMul", [embedded, g.Initializer("weight", Enumerable.Range(0, 16).Select(i => i / 16f).ToArray(), 4, 4)]), "last_hidden_state");
        return g.Build("test");
    }

    /// <summary>A MatMul of two activations only (x · xᵀ), as attention scores are.</summary>
    private static ModelProto ActivationsOnly()
    {
        var g = new OnnxGraphBuilder("activations");
        g.Input("input_ids", DataType.Int64, "batch", "sequence");
        g.Output("last_hidden_state", DataType.Float, "batch", "sequence", "sequence");
        var embedded = g.Node("Gather", [g.Initializer("embedding", new float[8 * 4], 8, 4), "input_ids"], ("axis", 0L));
        g.Rename(g.Node("MatMul", [embedded, g.Node("Transpose", [embedded], ("perm", new long[] { 0, 2, 1 }))]), "last_hidden_state");
        return g.Build("test");
    }

    private static ModelProto WithExternalWeight()
    {
        var model = Dense();
        var weight = model.Graph.Initializer.Single(i => i.Name == "weight");
        weight.RawData = ByteString.Empty;
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "model.onnx_data" });
        return model;
    }

    private static ModelProto WithOpset(ModelProto model, long opset)
    {
        model.OpsetImport[0].Version = opset;
        return model;
    }

    private static void WriteModel(string models, string name, ModelProto model, string precision)
    {
        var folder = Path.Combine(models, name);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), model.ToByteArray());
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n");
        new ModelManifest { Name = name, Family = ModelFamilies.Bert, Dimension = 4, Precision = precision }.Write(folder);
    }

    private static Dictionary<string, int> Counts(ModelProto model) =>
        model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));
}
