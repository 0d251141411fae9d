using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Retrieval;

namespace RagSuite.Gateway.Api;

/// <summary>Checks collection requests and shapes collections for REST.</summary>
public static class CollectionRequests
{
    public static CreateCollectionRequest ToCreateRequest(CreateCollectionBody body, GatewayOptions options, EmbedderInfo embedder)
    {
        var errors = new ValidationErrors();
        if (body.Name is null) errors.Add("name", "is required");
        else errors.AddIf(!CollectionNames.IsValid(body.Name), "name", $"is not a valid collection name ({CollectionNames.Rule})");

        var maxTokens = body.Chunking?.MaxTokens ?? options.DefaultChunkTokens;
        var overlap = body.Chunking?.OverlapTokens ?? Math.Min(options.DefaultChunkOverlap, maxTokens / 2);
        errors.AddIf(maxTokens < 16 || maxTokens > 8192, "chunking.max_tokens", "must be between 16 and 8192");
        errors.AddIf(overlap < 0 || overlap > maxTokens / 2, "chunking.overlap_tokens", "must be between 0 and half of max_tokens");

        var k1 = body.Bm25?.K1 ?? InProcessRetriever.DefaultK1;
        var b = body.Bm25?.B ?? InProcessRetriever.DefaultB;
        errors.AddIf(!(k1 > 0 && k1 <= 10), "bm25.k1", "must be greater than 0 and at most 10");
        errors.AddIf(!(b >= 0 && b <= 1), "bm25.b", "must be between 0 and 1");
        errors.AddIf(body.TenantKey is not null && !CollectionNames.IsValid(body.TenantKey), "tenant_key", CollectionNames.Rule);
        errors.ThrowIfAny();

        return new CreateCollectionRequest
        {
            Name = body.Name,
            Config = new CollectionConfig
            {
                DenseDimension = embedder.DenseDimension,
                DenseModel = embedder.DenseModel,
                Bm25 = new Bm25Parameters { K1 = k1, B = b },
                Chunking = new ChunkingParameters { MaxTokens = maxTokens, OverlapTokens = overlap },
                TenantKey = body.TenantKey ?? "",
            },
        };
    }

    public static CollectionView View(Collection collection) => new(
        collection.Name,
        collection.Config.DenseDimension,
        collection.Config.DenseModel is { Length: > 0 } model ? model : null,
        new Bm25Body(collection.Config.Bm25?.K1, collection.Config.Bm25?.B),
        new ChunkingBody(collection.Config.Chunking?.MaxTokens, collection.Config.Chunking?.OverlapTokens),
        collection.DocumentCount,
        collection.PointCount,
        collection.CreatedAt?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch,
        collection.Config.TenantKey is { Length: > 0 } tenantKey ? tenantKey : null);
}
