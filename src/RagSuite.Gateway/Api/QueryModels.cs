using System.Text.Json;
using System.Text.Json.Nodes;
using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Body of <c>POST /v1/query</c>. <c>mode</c> is <c>"hybrid"</c> (default), <c>"dense"</c> or <c>"sparse"</c>;
/// <c>fusion</c> (hybrid only) is <c>"auto"</c>, <c>"rrf"</c> or <c>"weighted"</c>, with <c>alpha</c> the dense
/// share (0–1) and <c>rrf_k</c> the RRF constant; <c>rerank</c> is <c>"auto"</c> (default), <c>"cross-encoder"</c>,
/// <c>"bi-encoder"</c> (with <c>mmr_lambda</c>), <c>"lexical"</c>, <c>"none"</c>, or true/false; <c>filters</c> maps a
/// metadata key to a value, an array (any of) or an operator object (<c>eq ne in nin gt gte lt lte</c>), and nests with
/// <c>$and</c>, <c>$or</c> (arrays of filters) and <c>$not</c> (a filter); <c>ef</c> (HNSW search breadth) and
/// <c>exact</c> (brute force) tune the dense side; <c>tenant</c> names the tenant of a multi-tenant collection.
/// </summary>
public sealed record QueryBody(
    string? Question,
    string? Collection,
    long? TopK = null,
    JsonElement? Rerank = null,
    string? Fusion = null,
    Dictionary<string, JsonElement>? Filters = null,
    GenerationBody? Generation = null,
    bool? Stream = null,
    bool? Generate = null,
    bool? GroupByDocument = null,
    string? Mode = null,
    float? Alpha = null,
    int? RrfK = null,
    float? MmrLambda = null,
    int? Ef = null,
    bool? Exact = null,
    string? Tenant = null);

/// <summary>
/// Generation parameters, passed through to the LLM upstream (temperature 0 is greedy decoding). <c>mode</c> is
/// <c>"auto"</c>, <c>"extractive"</c> or the name of an upstream; <c>template</c> picks a prompt template
/// (<c>name</c> or <c>name@version</c>); <c>route</c> is a hint for the generator's routing rules.
/// </summary>
public sealed record GenerationBody(
    float? Temperature = null,
    float? TopP = null,
    int? TopK = null,
    int? MaxTokens = null,
    List<string>? Stop = null,
    string? Mode = null,
    long? Seed = null,
    float? PresencePenalty = null,
    float? FrequencyPenalty = null,
    string? Template = null,
    string? Route = null);

/// <summary>
/// The answer to a query. <c>degraded</c> lists each service that was unavailable and what served instead
/// (<c>retrieval-order</c>, <c>extractive</c>, <c>sparse-only</c>), and why; it is left out when nothing degraded.
/// </summary>
public sealed record QueryResponse(
    string? Answer,
    string? Mode,
    string? FinishReason,
    IReadOnlyList<CitationView> Citations,
    IReadOnlyList<ResultView> Results,
    RetrievalView Retrieval,
    TimingsView TimingsMs,
    GenerationView? Generation = null,
    IReadOnlyList<Degradation>? Degraded = null);

/// <summary>A retrieved chunk. <c>score</c> is the final (reranked) score, <c>retrieval_score</c> the search score.</summary>
public sealed record ResultView(
    int Rank,
    string ChunkId,
    string DocumentId,
    int ChunkIndex,
    float Score,
    float RetrievalScore,
    string Text,
    string? Title,
    JsonNode? Metadata,
    LineageView Lineage);

public sealed record LineageView(string? Source, int StartChar, int EndChar, string Chunker, DateTimeOffset? IngestedAt);

/// <summary>A source the answer cites as <c>[index]</c>.</summary>
public sealed record CitationView(int Index, string ChunkId, string DocumentId, float Score, string Snippet, string? Title);

/// <summary>
/// How the chunks were found: the retrieval <c>mode</c> that ran (<c>hybrid</c>, <c>dense</c> or <c>sparse</c>) and its
/// <c>fusion</c>, the dense model, the fusion parameters applied, the reranking that ran and why it differs from the
/// one asked for, and <c>warnings</c> whenever the answer is poorer than asked (sparse-only, truncated question).
/// </summary>
public sealed record RetrievalView(
    string Fusion,
    string Rerank,
    string? RerankModel,
    int Candidates,
    string Mode = "sparse",
    string? DenseModel = null,
    float? Alpha = null,
    int? RrfK = null,
    string? RerankNote = null,
    IReadOnlyList<string>? Warnings = null);

public sealed record TimingsView(double Embed, double Retrieve, double Rerank, double Generate, double Total);

/// <summary>Data of the <c>delta</c> stream event: the next piece of the answer.</summary>
public sealed record DeltaEvent(string Text);

/// <summary>Data of the <c>citations</c> stream event.</summary>
public sealed record CitationsEvent(IReadOnlyList<CitationView> Citations);

/// <summary>Data of the <c>retrieval</c> stream event, sent before the answer.</summary>
public sealed record RetrievalEvent(IReadOnlyList<ResultView> Results, RetrievalView Retrieval);

/// <summary>Data of the final <c>done</c> stream event; <c>degraded</c> as in the JSON answer.</summary>
public sealed record DoneEvent(string? Mode, string? FinishReason, TimingsView TimingsMs, GenerationView? Generation = null,
    IReadOnlyList<Degradation>? Degraded = null);

/// <summary>
/// How the answer was written (lineage): <c>mode</c> <c>llm</c> or <c>extractive</c>, the upstream and model, the prompt
/// template as <c>name@version</c>, token counts and estimated cost, the sources sent and those dropped to fit the
/// context window, groundedness, what the injection screen found and did, every upstream tried, and <c>notes</c>
/// whenever the answer is poorer than asked (extractive because no upstream answered, a fallback, dropped sources).
/// </summary>
public sealed record GenerationView(
    string Mode,
    string? Model,
    string? Upstream,
    string? Template,
    string? FinishReason,
    int? PromptTokens,
    int CompletionTokens,
    int SourcesSent,
    int SourcesDropped,
    double? EstimatedCostUsd,
    GroundingView? Grounding,
    InjectionView Injection,
    IReadOnlyList<AttemptView>? Attempts,
    IReadOnlyList<string>? Notes,
    string? Error);

/// <summary>Share of answer sentences supported by a source they cite, how it was judged, and citations removed as unknown.</summary>
public sealed record GroundingView(double? Score, string Method, double Threshold, bool BelowThreshold, int Sentences, int SupportedSentences,
    int CitationsRemoved);

/// <summary>Instruction-like content found (in the question, in sources by number) and what the collection's policy did.</summary>
public sealed record InjectionView(string Policy, string Action, bool QuestionFlagged, IReadOnlyList<int> FlaggedSources, IReadOnlyList<string> Signals);

/// <summary>One upstream tried for this answer: <c>answered</c>, <c>failed</c>, <c>failed_midway</c> or <c>skipped</c>, and why.</summary>
public sealed record AttemptView(string Upstream, string Outcome, string? Reason);
