namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// One rung of the degradation ladder a query went down: the <paramref name="Service"/> that could not be used, the
/// <paramref name="Fallback"/> that served instead (<c>retrieval-order</c>, <c>extractive</c>, <c>sparse-only</c>), and
/// why, in words that name the service and never its address.
/// </summary>
public sealed record Degradation(string Service, string Fallback, string Reason)
{
    public const string RetrievalOrder = "retrieval-order";
    public const string Extractive = "extractive";
    public const string SparseOnly = "sparse-only";
}
