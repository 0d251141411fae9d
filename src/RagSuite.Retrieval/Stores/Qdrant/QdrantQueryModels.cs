using System.Text.Json.Nodes;

namespace RagSuite.Retrieval.Stores.Qdrant;

// Bodies of POST /collections/{name}/points/query and /points/query/batch (Qdrant's universal Query API).

/// <summary>
/// A query: <c>query</c> is a dense vector (a JSON array), a sparse vector (<c>{"indices", "values"}</c>) or a fusion
/// of the <c>prefetch</c> results (<c>{"rrf": {...}}</c>); <c>using</c> names the vector searched.
/// </summary>
internal sealed record QdrantQuery(
    JsonNode Query,
    string? Using,
    QdrantFilterBody? Filter,
    QdrantSearchParams? Params,
    int Limit,
    List<QdrantPrefetch>? Prefetch = null,
    JsonNode? WithPayload = null);

internal sealed record QdrantPrefetch(JsonNode Query, string Using, QdrantFilterBody? Filter, QdrantSearchParams? Params, int Limit);

/// <summary>HNSW search breadth, or an exact (brute force) search.</summary>
internal sealed record QdrantSearchParams(int? HnswEf, bool? Exact);

/// <summary>Reciprocal rank fusion of the prefetches: each list adds 1 / (k + position), positions counted from 0.</summary>
internal sealed record QdrantRrfQuery(QdrantRrf Rrf);

internal sealed record QdrantRrf(int K);

internal sealed record QdrantQueryBatch(IReadOnlyList<QdrantQuery> Searches);

internal sealed record QdrantQueryResult(List<QdrantRecord> Points);
