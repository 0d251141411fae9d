using System.Text.Json.Nodes;
using Google.Protobuf;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Tests.Generated;
using RagSuite.Models.Onnx.Proto;
using RagSuite.Testing;
using Xunit.Abstractions;

namespace RagSuite.Inference.Tests;

/// <summary>
/// A model folder that is wrong in one way, made from a good generated one: opening and loading it must fail with an
/// <see cref="InvalidDataException"/> (or <see cref="DirectoryNotFoundException"/> when the folder is missing) whose
/// message names the problem, and with nothing else: a service that refuses a bad model says why and keeps running.
/// </summary>
public sealed class BrokenModelFolderTests(ITestOutputHelper output)
{
    private const int Seed = 5;

    /// <summary>Case name (see <see cref="Break"/>), and a fragment the message must contain.</summary>
    public static TheoryData<string, string> Cases => new()
    {
        { "folder missing", "does not exist" },
        { "no manifest", "has no ragsuite-model.json" },
        { "manifest not JSON", "is not a valid model manifest" },
        { "manifest empty", "is not a valid model manifest" },
        { "manifest null", "is empty" },
        { "manifest without name", "missing required properties including: 'name'" },
        { "manifest with unknown field", "property 'dimensions' could not be mapped" },
        { "unknown family", "family 'gpt2' is not one of" },
        { "encoder dimension 0", "dimension must be between 1 and 65536" },
        { "unknown pooling", "pooling 'max' is not one of" },
        { "onnx outside the folder", "onnx must name a file in the model folder" },
        { "model.onnx missing", "has no 'model.onnx'" },
        { "model.onnx not a graph", "model.onnx' is not a model ONNX Runtime can load" },
        { "tokenizer files missing", "has no tokenizer file (tokenizer.json or vocab.txt)" },
        { "tokenizer.json not JSON", "tokenizer.json' cannot be read as a BERT tokenizer" },
        { "tokenizer.json not WordPiece", "does not hold a WordPiece model" },
        { "tokenizer_config.json not JSON", "tokenizer_config.json' cannot be read as a BERT tokenizer" },
        { "vocab.txt without special tokens", "vocab.txt' is not a usable BERT vocabulary" },
        { "dimension differs from the graph", "is 32-dimensional but the manifest says 16" },
        { "encoder output named but absent", "has no output 'sentence_embedding'" },
        { "encoder pooling none on token states", "pooling must be cls or mean, not none" },
        { "cross-encoder without a logits output", "a cross-encoder needs an output of shape [batch] or [batch, labels]" },
        { "graph without input_ids", "has no 'input_ids' input" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Broken_folder_fails_with_an_exception_that_names_the_problem(string name, string fragment)
    {
        using var directory = new TemporaryDirectory();
        var folder = Break(name, directory.Path);

        var exception = Record.Exception(() => Load(folder));

        Assert.NotNull(exception);
        Assert.True(exception is InvalidDataException || (name == "folder missing" && exception is DirectoryNotFoundException),
            $"{name}: {exception.GetType().Name} escaped: {exception.Message}");
        Assert.Contains(fragment, exception.Message, StringComparison.Ordinal);
        output.WriteLine($"{name}: {exception.GetType().Name}: {exception.Message}");
    }

    [Fact]
    public void The_unbroken_folders_the_cases_start_from_load_and_run()
    {
        using var encoderFolder = new TemporaryDirectory();
        using var crossEncoderFolder = new TemporaryDirectory();

        var vector = Load(TinyBertGraph.WriteFolder(encoderFolder.Path, TinyBertWeights.Random(Seed, TinyVocabulary.Tokens.Count, classifier: false)));
        var score = Load(TinyBertGraph.WriteFolder(crossEncoderFolder.Path, TinyBertWeights.Random(Seed, TinyVocabulary.Tokens.Count, classifier: true)));

        Assert.Equal(TinyBertWeights.Hidden, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 1e-5);
        Assert.True(float.IsFinite(Assert.Single(score)));
    }

    /// <summary>Opens the folder, loads it as its family says and runs one input through it, as a service would; returns what came out.</summary>
    private static float[] Load(string directory)
    {
        var folder = ModelFolder.Open(directory);
        if (ModelFamilies.IsCrossEncoder(folder.Manifest.Family))
        {
            using var crossEncoder = CrossEncoder.Load(folder, TestSessions.Cpu());
            return crossEncoder.Score([crossEncoder.Tokenizer.EncodePair("river bank", "deposit money")]);
        }
        using var encoder = TextEncoder.Load(folder, TestSessions.Cpu());
        return encoder.Encode([encoder.Tokenizer.Encode("the river bank")])[0];
    }

    /// <summary>Writes a good generated encoder folder under <paramref name="root"/> and breaks it as <paramref name="name"/> says.</summary>
    private static string Break(string name, string root)
    {
        var directory = Path.Combine(root, "model");
        Directory.CreateDirectory(directory);
        TinyBertGraph.WriteFolder(directory, TinyBertWeights.Random(Seed, TinyVocabulary.Tokens.Count, classifier: false));
        var manifest = Path.Combine(directory, ModelManifest.FileName);
        string In(string file) => Path.Combine(directory, file);
        void Edit(Action<JsonObject> change)
        {
            var json = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
            change(json);
            File.WriteAllText(manifest, json.ToJsonString());
        }

        switch (name)
        {
            case "folder missing":
                return Path.Combine(root, "no-such-model");
            case "no manifest":
                File.Delete(manifest);
                break;
            case "manifest not JSON":
                File.WriteAllText(manifest, """{ "name": "tiny", "family": """);
                break;
            case "manifest empty":
                File.WriteAllText(manifest, "");
                break;
            case "manifest null":
                File.WriteAllText(manifest, "null");
                break;
            case "manifest without name":
                Edit(j => j.Remove("name"));
                break;
            case "manifest with unknown field":
                Edit(j => j["dimensions"] = 32);
                break;
            case "unknown family":
                Edit(j => j["family"] = "gpt2");
                break;
            case "encoder dimension 0":
                Edit(j => j["dimension"] = 0);
                break;
            case "unknown pooling":
                Edit(j => j["pooling"] = "max");
                break;
            case "onnx outside the folder":
                Edit(j => j["onnx"] = "../model.onnx");
                break;
            case "model.onnx missing":
                File.Delete(In("model.onnx"));
                break;
            case "model.onnx not a graph":
                // What a clone without Git LFS leaves in place of the weights.
                File.WriteAllText(In("model.onnx"), "version https://git-lfs.github.com/spec/v1\noid sha256:0123\nsize 90000000\n");
                break;
            case "tokenizer files missing":
                File.Delete(In("vocab.txt"));
                break;
            case "tokenizer.json not JSON":
                File.WriteAllText(In("tokenizer.json"), "{ \"model\": ");
                break;
            case "tokenizer.json not WordPiece":
                File.WriteAllText(In("tokenizer.json"), """{ "model": { "type": "BPE", "vocab": {}, "merges": [] }, "normalizer": null }""");
                break;
            case "tokenizer_config.json not JSON":
                File.WriteAllText(In("tokenizer_config.json"), "do_lower_case = true");
                break;
            case "vocab.txt without special tokens":
                File.WriteAllLines(In("vocab.txt"), TinyVocabulary.Tokens.Skip(5));
                break;
            case "dimension differs from the graph":
                Edit(j => j["dimension"] = 16);
                break;
            case "encoder output named but absent":
                Edit(j => j["output"] = "sentence_embedding");
                break;
            case "encoder pooling none on token states":
                Edit(j => j["pooling"] = "none");
                break;
            case "cross-encoder without a logits output":
                // An encoder's graph in a cross-encoder's folder: its only output holds token states, [batch, sequence, 32].
                Edit(j =>
                {
                    j["family"] = ModelFamilies.BertCrossEncoder;
                    j["dimension"] = 0;
                });
                break;
            case "graph without input_ids":
                RenameInput(In("model.onnx"), "input_ids", "ids");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "No such broken folder.");
        }
        return directory;
    }

    private static void RenameInput(string onnxPath, string from, string to)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath));
        foreach (var input in model.Graph.Input.Where(i => i.Name == from)) input.Name = to;
        foreach (var node in model.Graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from) node.Input[i] = to;
            }
        }
        File.WriteAllBytes(onnxPath, model.ToByteArray());
    }
}
