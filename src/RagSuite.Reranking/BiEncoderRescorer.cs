using System.Numerics.Tensors;
using Microsoft.Extensions.Options;
using RagSuite.Core.Errors;
using RagSuite.Inference.Encoders;

namespace RagSuite.Reranking;

/// <summary>
/// Bi-encoder rescoring: the query and every candidate's full text under a sentence encoder. A candidate
/// longer than the model's token limit is embedded window by window (<see cref="PassageWindows"/>) and
/// scores its best window; its vector for diversity is the mean of its windows. Candidates seen before
/// come from <see cref="PassageVectorCache"/>.
/// </summary>
public sealed class BiEncoderRescorer(EncoderModels loaded, IOptions<RerankerOptions> options)
{
    private readonly RerankerOptions _options = options.Value;
    private readonly PassageVectorCache _cache = new(options.Value.CachedPassages);

    public sealed record Scores(string Model, double[] Relevance, float[][] Vectors, int[] Truncated);

    public BatchedTextEncoder Encoder()
    {
        try
        {
            return loaded.TextEncoder(_options.BiEncoderModel, _options.Batching);
        }
        catch (InvalidDataException e)
        {
            throw new RagSuiteException(ErrorKind.Unavailable, $"Bi-encoder reranking needs model '{_options.BiEncoderModel}': {e.Message}");
        }
    }

    public async Task<Scores> ScoreAsync(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken)
    {
        var encoder = Encoder();
        var manifest = encoder.Encoder.Manifest;
        var queryVector = (await encoder.EncodeAsync([query], manifest.QueryPrefix, cancellationToken))[0].Vector;

        var windows = new float[passages.Count][][];
        var truncated = new List<int>();
        var missing = new List<(int Passage, List<string> Windows)>();
        for (var i = 0; i < passages.Count; i++)
        {
            if (_cache.TryGet(manifest.Name, passages[i], out var cached)) windows[i] = cached;
            else missing.Add((i, PassageWindows.Of(passages[i], manifest.PassagePrefix, encoder.Encoder.Tokenizer)));
        }
        if (missing.Count > 0)
        {
            var encoded = await encoder.EncodeAsync([.. missing.SelectMany(m => m.Windows)], manifest.PassagePrefix, cancellationToken);
            var offset = 0;
            foreach (var (passage, passageWindows) in missing)
            {
                var slice = encoded.AsSpan(offset, passageWindows.Count);
                windows[passage] = [.. slice.ToArray().Select(e => e.Vector)];
                if (slice.ToArray().Any(e => e.Truncated)) truncated.Add(passage);
                _cache.Add(manifest.Name, passages[passage], windows[passage]);
                offset += passageWindows.Count;
            }
        }

        var relevance = windows.Select(w => w.Max(v => (double)TensorPrimitives.CosineSimilarity(queryVector, v))).ToArray();
        var vectors = windows.Select(Mean).ToArray();
        return new Scores(manifest.Name, relevance, vectors, [.. truncated]);
    }

    private static float[] Mean(float[][] windows)
    {
        if (windows.Length == 1) return windows[0];
        var mean = new float[windows[0].Length];
        foreach (var window in windows) TensorPrimitives.Add(mean, window, mean);
        var norm = TensorPrimitives.Norm(mean);
        if (norm > 0) TensorPrimitives.Divide(mean, norm, mean);
        return mean;
    }
}
