using RagSuite.Inference.Models;
using RagSuite.Inference.Sessions;
using RagSuite.Inference.Tokenization;

namespace RagSuite.Inference.Encoders;

/// <summary>
/// A cross-encoder: tokenised (query, passage) pairs in, one relevance logit per pair out (the single
/// logit of a one-label head, or positive minus negative for a two-label head). Thread-safe.
/// </summary>
public sealed class CrossEncoder : IDisposable
{
    private readonly OnnxSession _session;
    private readonly string[] _output;

    private CrossEncoder(ModelFolder folder, OnnxSession session, IModelTokenizer tokenizer, string output)
    {
        Folder = folder;
        _session = session;
        Tokenizer = tokenizer;
        _output = [output];
    }

    public ModelFolder Folder { get; }

    public ModelManifest Manifest => Folder.Manifest;

    public IModelTokenizer Tokenizer { get; }

    public ExecutionProvider Provider => _session.Provider;

    public static CrossEncoder Load(ModelFolder folder, OnnxSessionFactory sessions)
    {
        var session = sessions.Create(folder.OnnxPath);
        try
        {
            if (BatchInputs.Unsupported(session.Inputs) is { } problem) throw new InvalidDataException($"Model '{folder.Manifest.Name}': {problem}.");
            var output = folder.Manifest.Output ?? (session.Outputs.ContainsKey("logits") ? "logits" : session.Outputs.Keys.First());
            if (!session.Outputs.TryGetValue(output, out var metadata) || metadata.Dimensions.Length is < 1 or > 2)
            {
                throw new InvalidDataException($"Model '{folder.Manifest.Name}': a cross-encoder needs an output of shape [batch] or [batch, labels] named '{output}'.");
            }
            return new CrossEncoder(folder, session, ModelTokenizers.Load(folder), output);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public float[] Score(IReadOnlyList<TokenizedText> pairs) => Prepare(pairs)();

    public Func<float[]> Prepare(IReadOnlyList<TokenizedText> pairs)
    {
        var inputs = new BatchInputs(pairs, Tokenizer.PaddingId, _session.Inputs);
        return () =>
        {
            using (inputs)
            {
                using var outputs = _session.Run(inputs.Names, inputs.Values, _output);
                var output = outputs[0];
                var shape = output.GetTensorTypeAndShape().Shape;
                var data = output.GetTensorDataAsSpan<float>();
                var labels = shape.Length == 2 ? (int)shape[1] : 1;
                if (labels is not (1 or 2))
                {
                    throw new InvalidDataException($"Model '{Manifest.Name}' has {labels} labels; a cross-encoder has one (or two: negative, positive).");
                }
                var scores = new float[inputs.Rows];
                for (var row = 0; row < inputs.Rows; row++)
                {
                    scores[row] = labels == 1 ? data[row] : data[row * 2 + 1] - data[row * 2];
                }
                return scores;
            }
        };
    }

    public void Dispose() => _session.Dispose();
}
