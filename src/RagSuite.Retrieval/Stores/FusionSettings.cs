using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores;

/// <summary>How a search ranks: dense only, sparse only, or a fusion of both with the dense share and RRF k to use.</summary>
public sealed record FusionSettings(FusionMode Mode, float DenseWeight, int RrfK);
