using RagSuite.Inference.Encoders;

namespace RagSuite.Reranking;

/// <summary>The configured cross-encoder: none configured, loaded, or unavailable and why.</summary>
public sealed record CrossEncoderState(BatchedCrossEncoder? Encoder, string? UnavailableReason);
