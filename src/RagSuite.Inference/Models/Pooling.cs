namespace RagSuite.Inference.Models;

/// <summary>How token states become one vector, as named in a manifest's <c>pooling</c>.</summary>
public static class Pooling
{
    /// <summary>The first token's state ([CLS]): BGE, nomic.</summary>
    public const string Cls = "cls";

    /// <summary>The mean over real (unpadded) tokens: MiniLM, E5, GTE.</summary>
    public const string Mean = "mean";

    /// <summary>The graph already outputs one vector per text (USE-lite, or an export with a sentence_embedding output).</summary>
    public const string None = "none";

    public static bool IsKnown(string? pooling) => pooling is Cls or Mean or None;
}
