using System.ComponentModel.DataAnnotations;

namespace RagSuite.Reranking;

/// <summary>Limits of the reranker (section <c>RagSuite:Reranker</c>).</summary>
public sealed class RerankerOptions
{
    public const string Section = "RagSuite:Reranker";

    /// <summary>Most passages scored in one call.</summary>
    [Range(1, 10_000)]
    public int MaxPassages { get; set; } = 1000;

    /// <summary>Longest query accepted, in characters.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueryChars { get; set; } = 8192;
}
