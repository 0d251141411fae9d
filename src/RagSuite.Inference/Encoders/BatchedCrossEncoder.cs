using RagSuite.Inference.Batching;
using RagSuite.Inference.Tokenization;

namespace RagSuite.Inference.Encoders;

/// <summary>A cross-encoder behind dynamic batching, as <see cref="BatchedTextEncoder"/> is for sentence encoders.</summary>
public sealed class BatchedCrossEncoder : IAsyncDisposable
{
    private readonly InferenceBatcher<TokenizedText, float> _batcher;
    private readonly EncoderMetrics _metrics;

    public BatchedCrossEncoder(CrossEncoder encoder, BatchingOptions batching, EncoderMetrics metrics)
    {
        Encoder = encoder;
        _metrics = metrics;
        _batcher = new InferenceBatcher<TokenizedText, float>(encoder.Manifest.Name, batching, t => t.Length, encoder.Prepare, metrics);
    }

    public CrossEncoder Encoder { get; }

    public async Task<ScoredPair[]> ScoreAsync(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken)
    {
        var prefixed = Encoder.Manifest.QueryPrefix + query;
        var pairs = passages.Select(p => Encoder.Tokenizer.EncodePair(prefixed, Encoder.Manifest.PassagePrefix + p)).ToArray();
        _metrics.RecordTruncated(Encoder.Manifest.Name, pairs.Count(p => p.Truncated));
        var scores = await _batcher.SubmitAsync(pairs, cancellationToken);
        return [.. scores.Select((s, i) => new ScoredPair(s, pairs[i].Truncated))];
    }

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync();
        Encoder.Dispose();
    }
}
