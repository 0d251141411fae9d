using RagSuite.Inference.Encoders;

namespace RagSuite.Embedding;

/// <summary>What became of the configured dense model: loaded, or unavailable and why (never silently absent).</summary>
public sealed record DenseModelState(BatchedTextEncoder? Encoder, string? UnavailableReason)
{
    public bool IsAvailable => Encoder is not null;
}
