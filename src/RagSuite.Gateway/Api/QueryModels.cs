using System.Text.Json;
using System.Text.Json.Nodes;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Body of <c>POST /v1/query</c>. <c>rerank</c> is <c>"auto"</c> (default), <c>"lexical"</c>,
/// <c>"cross-encoder"</c>, <c>"none"</c>, or true/false; <c>fusion</c> is <c>"auto"</c>, <c>"rrf"</c>,
/// <c>"weighted"</c>, <c>"dense"</c> or <c>"sparse"</c>; <c>filters</c> maps a metadata key to a value,
/// an array (any of) or an operator object (<c>eq ne in nin gt gte lt lte</c>).
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
    bool? GroupByDocument = null);

/// <summary>Generation parameters; <c>mode</c> is <c>"auto"</c> or <c>"extractive"</c>.</summary>
public sealed record GenerationBody(
    float? Temperature = null,
    float? TopP = null,
    int? TopK = null,
    int? MaxTokens = null,
    List<string>? Stop = null,
    string? Mode = null);

public sealed record QueryResponse(
    string? Answer,
    string? Mode,
    string? FinishReason,
    IReadOnlyList<CitationView> Citations,
    IReadOnlyList<ResultView> Results,
    RetrievalView Retrieval,
    TimingsView TimingsMs);

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

public sealed record RetrievalView(string Fusion, string Rerank, string? RerankModel, int Candidates);

public sealed record TimingsView(double Embed, double Retrieve, double Rerank, double Generate, double Total);

/// <summary>Data of the <c>delta</c> stream event: the next piece of the answer.</summary>
public sealed record DeltaEvent(string Text);

/// <summary>Data of the <c>citations</c> stream event.</summary>
public sealed record CitationsEvent(IReadOnlyList<CitationView> Citations);

/// <summary>Data of the <c>retrieval</c> stream event, sent before the answer.</summary>
public sealed record RetrievalEvent(IReadOnlyList<ResultView> Results, RetrievalView Retrieval);

/// <summary>Data of the final <c>done</c> stream event.</summary>
public sealed record DoneEvent(string? Mode, string? FinishReason, TimingsView TimingsMs);
