using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using RagSuite.Inference.Models;
using RagSuite.Inference.Sessions;
using RagSuite.Inference.Tokenization;

namespace RagSuite.Inference.Encoders;

/// <summary>
/// A sentence encoder: a batch of tokenised texts in, one vector per text out. Reads the graph's
/// <c>sentence_embedding</c>-style output as it is, or pools <c>last_hidden_state</c> ([CLS] or the mean over
/// real tokens) as the manifest says, then scales to unit length when it asks for normalisation.
/// Thread-safe: ONNX Runtime sessions run concurrently, and nothing else here changes after loading.
/// </summary>
public sealed class TextEncoder : IDisposable
{
    private static readonly string[] PreferredOutputs = ["sentence_embedding", "embeddings", "last_hidden_state", "token_embeddings"];

    private readonly OnnxSession _session;
    private readonly string[] _output;
    private readonly bool _pooled;

    private TextEncoder(ModelFolder folder, OnnxSession session, IModelTokenizer tokenizer, string output, bool pooled)
    {
        Folder = folder;
        _session = session;
        Tokenizer = tokenizer;
        _output = [output];
        _pooled = pooled;
    }

    public ModelFolder Folder { get; }

    public ModelManifest Manifest => Folder.Manifest;

    public IModelTokenizer Tokenizer { get; }

    public ExecutionProvider Provider => _session.Provider;

    public static TextEncoder Load(ModelFolder folder, OnnxSessionFactory sessions)
    {
        var session = sessions.Create(folder.OnnxPath);
        try
        {
            if (BatchInputs.Unsupported(session.Inputs) is { } problem) throw new InvalidDataException($"Model '{folder.Manifest.Name}': {problem}.");
            var output = folder.Manifest.Output ?? PreferredOutputs.FirstOrDefault(session.Outputs.ContainsKey) ?? session.Outputs.Keys.First();
            if (!session.Outputs.TryGetValue(output, out var metadata))
            {
                throw new InvalidDataException($"Model '{folder.Manifest.Name}' has no output '{output}' (it has {string.Join(", ", session.Outputs.Keys)}).");
            }
            var pooled = metadata.Dimensions.Length == 2;
            if (!pooled && metadata.Dimensions.Length != 3)
            {
                throw new InvalidDataException($"Model '{folder.Manifest.Name}': output '{output}' has rank {metadata.Dimensions.Length}; expected [batch, dim] or [batch, tokens, dim].");
            }
            if (!pooled && folder.Manifest.Pooling == Pooling.None)
            {
                throw new InvalidDataException($"Model '{folder.Manifest.Name}': output '{output}' holds one vector per token, so pooling must be cls or mean, not none.");
            }
            var width = metadata.Dimensions[^1];
            if (width > 0 && width != folder.Manifest.Dimension)
            {
                throw new InvalidDataException($"Model '{folder.Manifest.Name}': output '{output}' is {width}-dimensional but the manifest says {folder.Manifest.Dimension}.");
            }
            return new TextEncoder(folder, session, ModelTokenizers.Load(folder), output, pooled);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public float[][] Encode(IReadOnlyList<TokenizedText> batch) => Prepare(batch)();

    /// <summary>Builds the batch's inputs now and returns the call that runs the model on them.</summary>
    public Func<float[][]> Prepare(IReadOnlyList<TokenizedText> batch)
    {
        var inputs = new BatchInputs(batch, Tokenizer.PaddingId, _session.Inputs);
        return () =>
        {
            using (inputs)
            {
                using var outputs = _session.Run(inputs.Names, inputs.Values, _output);
                return Vectors(outputs[0], inputs);
            }
        };
    }

    private float[][] Vectors(OrtValue output, BatchInputs inputs)
    {
        var shape = output.GetTensorTypeAndShape().Shape;
        var data = output.GetTensorDataAsSpan<float>();
        var width = (int)shape[^1];
        if (width != Manifest.Dimension)
        {
            throw new InvalidDataException($"Model '{Manifest.Name}' produced {width}-dimensional vectors but the manifest says {Manifest.Dimension}.");
        }
        var vectors = new float[inputs.Rows][];
        for (var row = 0; row < inputs.Rows; row++)
        {
            var vector = new float[width];
            if (_pooled)
            {
                data.Slice(row * width, width).CopyTo(vector);
            }
            else if (Manifest.Pooling == Pooling.Cls)
            {
                data.Slice(row * inputs.Columns * width, width).CopyTo(vector);
            }
            else
            {
                var tokens = 0;
                for (var column = 0; column < inputs.Columns; column++)
                {
                    if (inputs.Mask[row * inputs.Columns + column] == 0) continue;
                    TensorPrimitives.Add(vector, data.Slice((row * inputs.Columns + column) * width, width), vector);
                    tokens++;
                }
                TensorPrimitives.Divide(vector, Math.Max(1, tokens), vector);
            }
            if (Manifest.Normalize)
            {
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
            }
            vectors[row] = vector;
        }
        return vectors;
    }

    public void Dispose() => _session.Dispose();
}
