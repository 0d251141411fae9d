using RagSuite.Contracts.V1;

namespace RagSuite.Gateway.Pipeline;

/// <summary>A checked query: everything the pipeline needs, with defaults applied.</summary>
public sealed record QueryPlan(
    string Question,
    string Collection,
    int TopK,
    RerankMode Rerank,
    FusionMode Fusion,
    Filter? Filter,
    bool GroupByDocument,
    bool Generate,
    GenerationParameters Parameters,
    string GenerationMode);
