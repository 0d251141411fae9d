using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Inference.Batching;

namespace RagSuite.Reranking;

/// <summary>The reranker's models and limits (section <c>RagSuite:Reranker</c>).</summary>
public sealed class RerankerOptions
{
    public const string Section = "RagSuite:Reranker";

    /// <summary>Most passages scored in one call.</summary>
    [Range(1, 10_000)]
    public int MaxPassages { get; set; } = 1000;

    /// <summary>Longest query accepted, in characters.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueryChars { get; set; } = 8192;

    /// <summary>
    /// A <c>bert-cross-encoder</c> model folder (under <c>RagSuite:Models:Directory</c>), loaded at start-up. When it
    /// is set and loads, AUTO reranks with it. Empty: no cross-encoder.
    /// </summary>
    public string CrossEncoderModel { get; set; } = "";

    /// <summary>The sentence encoder bi-encoder rescoring uses: the embedder's model, so one copy serves both in one process.</summary>
    public string BiEncoderModel { get; set; } = "use-lite";

    /// <summary>
    /// What AUTO runs when no cross-encoder is loaded: <c>None</c>, <c>BiEncoder</c> or <c>Lexical</c>. The default is
    /// whichever scored best on the evaluation sets (see the README); a default never makes rankings worse.
    /// </summary>
    public RerankMode AutoWithoutCrossEncoder { get; set; } = RerankMode.None;

    /// <summary>
    /// MMR trade-off for bi-encoder reranking when the request sets none: 1 is relevance alone. With USE-lite any
    /// diversity cost relevance on the evaluation sets (λ 0.9 lowered Cranfield nDCG@10 from 0.322 to 0.195), so
    /// diversity is asked for per request.
    /// </summary>
    [Range(0.0, 1.0)]
    public float MmrLambda { get; set; } = 1f;

    /// <summary>Passage vectors kept for bi-encoder rescoring, so candidates seen before cost no inference.</summary>
    [Range(0, 10_000_000)]
    public int CachedPassages { get; set; } = 20_000;

    /// <summary>The reranker's models' batching budget (section <c>RagSuite:Reranker:Batching</c>).</summary>
    [ValidateObjectMembers]
    public BatchingOptions Batching { get; set; } = new();
}
