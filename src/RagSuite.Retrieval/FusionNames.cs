using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval;

/// <summary>The names fusion modes go by in REST, metrics and logs.</summary>
public static class FusionNames
{
    public static string Of(FusionMode mode) => mode switch
    {
        FusionMode.Rrf => "rrf",
        FusionMode.Weighted => "weighted",
        FusionMode.DenseOnly => "dense",
        FusionMode.SparseOnly => "sparse",
        _ => "auto",
    };
}
