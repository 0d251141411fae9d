using RagSuite.Contracts.V1;

namespace RagSuite.Gateway.Pipeline;

/// <summary>A retrieved chunk in final order: its score after reranking and the score retrieval gave it.</summary>
public sealed record RankedChunk(Point Point, float Score, float RetrievalScore);

/// <summary>
/// What retrieval (and reranking) produced for a query, and how. <see cref="Degraded"/> lists the fallbacks the query
/// took, from retrieval on; generation adds its own, so it is complete once the answer is.
/// </summary>
public sealed record RetrievalResult(
    IReadOnlyList<RankedChunk> Chunks,
    SearchResponse Search,
    RerankMode Rerank,
    string RerankModel,
    int Candidates,
    QueryTimings Timings,
    string DenseModel,
    string RerankNote,
    IReadOnlyList<string> Warnings)
{
    public FusionMode Fusion => Search.Fusion;

    public List<Degradation> Degraded { get; init; } = [];
}
