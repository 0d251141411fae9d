namespace RagSuite.Gateway.Api;

/// <summary>
/// Body of <c>POST /v1/collections</c>. BM25 and chunking settings are optional; <c>tenant_key</c> makes the collection
/// multi-tenant: every document's metadata names its tenant under that key, and every query names one tenant.
/// </summary>
public sealed record CreateCollectionBody(string? Name, Bm25Body? Bm25 = null, ChunkingBody? Chunking = null, string? TenantKey = null);

public sealed record Bm25Body(float? K1 = null, float? B = null);

public sealed record ChunkingBody(int? MaxTokens = null, int? OverlapTokens = null);

public sealed record CollectionView(
    string Name,
    int DenseDimension,
    string? DenseModel,
    Bm25Body Bm25,
    ChunkingBody Chunking,
    long DocumentCount,
    long PointCount,
    DateTimeOffset CreatedAt,
    string? TenantKey);

public sealed record CollectionList(IReadOnlyList<CollectionView> Collections);
