using System.Numerics.Tensors;
using RagSuite.Inference.Batching;
using RagSuite.Inference.Tokenization;

namespace RagSuite.Inference.Encoders;

/// <summary>
/// A sentence encoder behind dynamic batching: callers tokenise on their own threads, then share batches
/// with every other caller of the same model.
/// </summary>
public sealed class BatchedTextEncoder : IAsyncDisposable
{
    private readonly InferenceBatcher<TokenizedText, float[]> _batcher;
    private readonly EncoderMetrics _metrics;

    public BatchedTextEncoder(TextEncoder encoder, BatchingOptions batching, EncoderMetrics metrics)
    {
        Encoder = encoder;
        _metrics = metrics;
        _batcher = new InferenceBatcher<TokenizedText, float[]>(encoder.Manifest.Name, batching, t => t.Length, encoder.Prepare, metrics);
    }

    public TextEncoder Encoder { get; }

    /// <param name="texts">Texts to embed, each non-empty.</param>
    /// <param name="prefix">Put before every text (the model's query or passage prefix).</param>
    /// <param name="cancellationToken">Cancels this caller's wait; its texts leave the queue.</param>
    public async Task<EncodedText[]> EncodeAsync(IReadOnlyList<string> texts, string prefix, CancellationToken cancellationToken)
    {
        var tokenized = texts.Select(t => Encoder.Tokenizer.Encode(prefix + t)).ToArray();
        _metrics.RecordTruncated(Encoder.Manifest.Name, tokenized.Count(t => t.Truncated));
        var vectors = await _batcher.SubmitAsync(tokenized, cancellationToken);
        return [.. vectors.Select((v, i) => new EncodedText(v, tokenized[i].Length, tokenized[i].Truncated))];
    }

    /// <summary>
    /// Embeds passages whole: one longer than the model's token limit is embedded in windows of whole sentences
    /// (<see cref="PassageWindows"/>) and gets the normalised mean of its windows' vectors, so its vector covers all of
    /// it rather than its first <c>max_tokens</c>. Truncated is then set only for a single sentence over the limit.
    /// </summary>
    public async Task<EncodedText[]> EncodeWholeAsync(IReadOnlyList<string> passages, string prefix, CancellationToken cancellationToken)
    {
        var windows = passages.Select(p => PassageWindows.Of(p, prefix, Encoder.Tokenizer)).ToArray();
        var encoded = await EncodeAsync([.. windows.SelectMany(w => w)], prefix, cancellationToken);
        var results = new EncodedText[passages.Count];
        var offset = 0;
        for (var i = 0; i < passages.Count; i++)
        {
            var parts = encoded.AsSpan(offset, windows[i].Count).ToArray();
            offset += parts.Length;
            results[i] = parts.Length == 1
                ? parts[0]
                : new EncodedText(Mean(parts.Select(p => p.Vector)), parts.Sum(p => p.Tokens), parts.Any(p => p.Truncated));
        }
        return results;
    }

    private float[] Mean(IEnumerable<float[]> vectors)
    {
        var mean = new float[Encoder.Manifest.Dimension];
        foreach (var vector in vectors) TensorPrimitives.Add(mean, vector, mean);
        var norm = TensorPrimitives.Norm(mean);
        if (norm > 0) TensorPrimitives.Divide(mean, norm, mean);
        return mean;
    }

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync();
        Encoder.Dispose();
    }
}
