namespace RagSuite.Inference.Encoders;

/// <summary>A cross-encoder's relevance logit for one (query, passage) pair, and whether the pair was cut to fit.</summary>
public sealed record ScoredPair(float Score, bool Truncated);
