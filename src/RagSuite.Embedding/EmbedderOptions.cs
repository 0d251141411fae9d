using System.ComponentModel.DataAnnotations;

namespace RagSuite.Embedding;

/// <summary>Limits of the embedder (section <c>RagSuite:Embedder</c>).</summary>
public sealed class EmbedderOptions
{
    public const string Section = "RagSuite:Embedder";

    /// <summary>Most texts in one Embed call; larger batches are refused with INVALID_ARGUMENT.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Longest text accepted, in characters; callers chunk documents well below this.</summary>
    [Range(1, 10_000_000)]
    public int MaxTextChars { get; set; } = 200_000;
}
