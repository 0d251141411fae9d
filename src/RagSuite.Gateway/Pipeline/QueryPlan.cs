using RagSuite.Contracts.V1;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// A checked query: everything the pipeline needs, with defaults applied. <see cref="Fusion"/> carries the mode:
/// dense-only, sparse-only, or a hybrid fusion (unspecified leaves it to the retriever); <see cref="Alpha"/> and
/// <see cref="RrfK"/> are 0 for the retriever's defaults, as is <see cref="Ef"/> (the HNSW search breadth);
/// <see cref="Tenant"/> is empty unless the collection is multi-tenant; <see cref="Template"/> and <see cref="RouteHint"/>
/// are empty for the generator's per-collection choice.
/// </summary>
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
    string GenerationMode,
    float Alpha = 0,
    int RrfK = 0,
    float? MmrLambda = null,
    int Ef = 0,
    bool Exact = false,
    string Tenant = "",
    string Template = "",
    string RouteHint = "");
