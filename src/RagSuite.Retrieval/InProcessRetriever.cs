using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Retrieval.Index;
using RagSuite.Retrieval.Stores;
using Microsoft.Extensions.Options;

namespace RagSuite.Retrieval;

/// <summary>
/// The retriever role over whichever <see cref="IVectorStore"/> is configured. Every request is checked here, at the
/// role boundary, so the in-process gateway and remote gRPC callers get the same answers to the same mistakes on every
/// backend; searches of a multi-tenant collection are scoped to their tenant here too.
/// </summary>
public sealed class InProcessRetriever(IVectorStore store, IOptions<RetrieverOptions> options, RetrieverMetrics metrics) : IRetriever
{
    public const float DefaultK1 = 0.9f;
    public const float DefaultB = 0.4f;
    private const int MaxDocumentIdLength = 512;
    private const int MaxDocumentsPerLookup = 10_000;

    private readonly RetrieverOptions _options = options.Value;

    public async Task<Collection> CreateCollectionAsync(CreateCollectionRequest request, CancellationToken cancellationToken)
    {
        await store.WaitUntilReadyAsync(cancellationToken);
        var errors = new ValidationErrors();
        CheckName(request.Name, "name", errors);
        var config = request.Config?.Clone() ?? new CollectionConfig();
        config.Bm25 ??= new Bm25Parameters { K1 = DefaultK1, B = DefaultB };
        errors.AddIf(config.DenseDimension < 0 || config.DenseDimension > _options.MaxDenseDimension, "config.dense_dimension",
            $"must be between 0 (no dense vectors) and {_options.MaxDenseDimension}");
        errors.AddIf(!(config.Bm25.K1 > 0 && config.Bm25.K1 <= 10), "config.bm25.k1", "must be greater than 0 and at most 10");
        errors.AddIf(!(config.Bm25.B >= 0 && config.Bm25.B <= 1), "config.bm25.b", "must be between 0 and 1");
        if (config.DenseIndex is { } dense)
        {
            errors.AddIf(dense.M != 0 && (dense.M < 4 || dense.M > 64), "config.dense_index.m", "must be between 4 and 64 (0 for the default)");
            errors.AddIf(dense.EfConstruction != 0 && (dense.EfConstruction < 8 || dense.EfConstruction > 4096),
                "config.dense_index.ef_construction", "must be between 8 and 4096 (0 for the default)");
        }
        errors.AddIf(!System.Enum.IsDefined(config.DenseDistance), "config.dense_distance", "must be cosine or dot");
        errors.AddIf(config.TenantKey.Length > 0 && !CollectionNames.IsValid(config.TenantKey), "config.tenant_key", CollectionNames.Rule);
        errors.AddIf(config.TenantKey == MetadataFilter.DocumentIdKey, "config.tenant_key", $"'{MetadataFilter.DocumentIdKey}' names the document, not a tenant");
        errors.ThrowIfAny();
        return await store.CreateCollectionAsync(request.Name, config, cancellationToken);
    }

    public Task<Collection> GetCollectionAsync(GetCollectionRequest request, CancellationToken cancellationToken) =>
        CollectionAsync(request.Name, cancellationToken);

    public async Task<ListCollectionsResponse> ListCollectionsAsync(ListCollectionsRequest request, CancellationToken cancellationToken)
    {
        await store.WaitUntilReadyAsync(cancellationToken);
        return new ListCollectionsResponse { Collections = { await store.ListCollectionsAsync(cancellationToken) } };
    }

    public async Task<DeleteCollectionResponse> DeleteCollectionAsync(DeleteCollectionRequest request, CancellationToken cancellationToken)
    {
        // Not through CollectionAsync: a damaged collection, which refuses everything else, may still be deleted.
        var errors = new ValidationErrors();
        CheckName(request.Name, "collection", errors);
        errors.ThrowIfAny();
        await store.WaitUntilReadyAsync(cancellationToken);
        await store.DeleteCollectionAsync(request.Name, cancellationToken);
        return new DeleteCollectionResponse();
    }

    public async Task<UpsertDocumentsResponse> UpsertDocumentsAsync(UpsertDocumentsRequest request, CancellationToken cancellationToken)
    {
        var collection = await CollectionAsync(request.Collection, cancellationToken);
        CheckModel(collection, request.DenseModel);
        ValidateWrites(request, collection.Config);
        await store.UpsertDocumentsAsync(collection.Name, request.Documents, cancellationToken);
        var points = request.Documents.Sum(d => d.Points.Count);
        metrics.RecordWrite(collection.Name, points);
        return new UpsertDocumentsResponse { DocumentsWritten = request.Documents.Count, PointsWritten = points };
    }

    public async Task<DeleteDocumentResponse> DeleteDocumentAsync(DeleteDocumentRequest request, CancellationToken cancellationToken)
    {
        var collection = await CollectionAsync(request.Collection, cancellationToken);
        if (string.IsNullOrEmpty(request.DocumentId)) throw RagSuiteException.Invalid("document_id", "is empty");
        var removed = await store.DeleteDocumentAsync(collection.Name, request.DocumentId, cancellationToken);
        if (removed == 0) throw RagSuiteException.NotFound($"Document '{request.DocumentId}' is not in collection '{collection.Name}'.");
        return new DeleteDocumentResponse { PointsDeleted = removed };
    }

    public async Task<GetDocumentsResponse> GetDocumentsAsync(GetDocumentsRequest request, CancellationToken cancellationToken)
    {
        var collection = await CollectionAsync(request.Collection, cancellationToken);
        if (request.DocumentIds.Count > MaxDocumentsPerLookup)
        {
            throw RagSuiteException.Invalid("document_ids", $"holds {request.DocumentIds.Count} ids; the limit is {MaxDocumentsPerLookup}");
        }
        return new GetDocumentsResponse { Documents = { await store.GetDocumentsAsync(collection.Name, request.DocumentIds, cancellationToken) } };
    }

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var collection = await CollectionAsync(request.Collection, cancellationToken);
        var dimension = collection.Config.DenseDimension;
        CheckModel(collection, request.DenseModel);
        if (dimension == 0 && request.Fusion == FusionMode.Unspecified && request.DenseQuery.Count > 0)
        {
            // Hybrid by default: a collection made without a dense model is searched by its terms, and the
            // response's fusion (sparse) tells the caller so.
            request = request.Clone();
            request.DenseQuery.Clear();
        }
        var errors = new ValidationErrors();
        errors.AddIf(request.TopK < 1 || request.TopK > _options.MaxTopK, "top_k", $"must be between 1 and {_options.MaxTopK}");
        errors.AddIf(request.DenseQuery.Count > 0 && request.DenseQuery.Count != dimension, "dense_query",
            dimension == 0
                ? $"collection '{collection.Name}' holds no dense vectors"
                : $"has {request.DenseQuery.Count} dimensions; collection '{collection.Name}' has {dimension}");
        errors.AddIf(request.DenseQuery.Any(v => !float.IsFinite(v)), "dense_query", "holds a value that is not a finite number");
        CheckSparse(request.SparseQuery, "sparse_query", errors);
        errors.AddIf(!(request.DenseWeight >= 0 && request.DenseWeight <= 1), "dense_weight", "must be between 0 and 1");
        errors.AddIf(request.RrfK < 0 || request.RrfK > 10_000, "rrf_k", "must be between 1 and 10000 (0 for the default)");
        errors.AddIf(request.Ef < 0 || request.Ef > 10_000, "ef", "must be between 1 and 10000 (0 for the default)");
        MetadataFilter.Validate(request.Filter, errors);
        var tenantKey = collection.Config.TenantKey;
        errors.AddIf(tenantKey.Length > 0 && request.Tenant.Length == 0, "tenant",
            $"is required: collection '{collection.Name}' keeps each tenant's points apart by '{tenantKey}'");
        errors.AddIf(tenantKey.Length == 0 && request.Tenant.Length > 0, "tenant", $"is not allowed: collection '{collection.Name}' has no tenants");
        var fusion = ResolveFusion(request, errors);
        errors.ThrowIfAny();

        if (tenantKey.Length > 0) request = ScopedToTenant(request, tenantKey);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var settings = new FusionSettings(fusion, request.DenseWeight > 0 ? request.DenseWeight : _options.DefaultDenseWeight,
            request.RrfK > 0 ? request.RrfK : _options.DefaultRrfK);
        var response = await store.SearchAsync(request, settings, cancellationToken);
        metrics.RecordSearch(collection.Name, fusion, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return response;
    }

    /// <summary>The request with its filter narrowed to the tenant's points (the caller's own filter nested inside).</summary>
    private static SearchRequest ScopedToTenant(SearchRequest request, string tenantKey)
    {
        var scoped = request.Clone();
        var filter = new Filter { Must = { new Condition { Key = tenantKey, Equals_ = Google.Protobuf.WellKnownTypes.Value.ForString(request.Tenant) } } };
        if (!MetadataFilter.IsEmpty(request.Filter)) filter.Must.Add(new Condition { Filter = request.Filter });
        scoped.Filter = filter;
        return scoped;
    }

    /// <summary>The named collection, once the store is ready (requests during start-up wait rather than fail).</summary>
    private async Task<Collection> CollectionAsync(string name, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckName(name, "collection", errors);
        errors.ThrowIfAny();
        await store.WaitUntilReadyAsync(cancellationToken);
        return await store.GetCollectionAsync(name, cancellationToken);
    }

    private static void CheckName(string name, string field, ValidationErrors errors) =>
        errors.AddIf(!CollectionNames.IsValid(name), field,
            string.IsNullOrEmpty(name) ? "is empty" : $"'{Truncate(name)}' is not a valid collection name ({CollectionNames.Rule})");

    /// <summary>A collection holds one model's vectors: anything made by another is refused, never mixed in.</summary>
    private static void CheckModel(Collection collection, string denseModel)
    {
        var stored = collection.Config.DenseModel;
        if (denseModel.Length > 0 && stored.Length > 0 && denseModel != stored)
        {
            throw RagSuiteException.Conflict(
                $"Collection '{collection.Name}' holds dense vectors of model '{stored}', not '{denseModel}'. Re-create the collection and ingest again to change models.");
        }
    }

    private FusionMode ResolveFusion(SearchRequest request, ValidationErrors errors)
    {
        var hasDense = request.DenseQuery.Count > 0;
        var hasSparse = request.SparseQuery is { Indices.Count: > 0 };
        switch (request.Fusion)
        {
            case FusionMode.DenseOnly:
                errors.AddIf(!hasDense, "dense_query", "is required for dense-only search");
                return FusionMode.DenseOnly;
            case FusionMode.SparseOnly:
                return FusionMode.SparseOnly;
            default:
                if (hasDense && hasSparse) return request.Fusion is FusionMode.Weighted or FusionMode.Rrf ? request.Fusion : _options.DefaultFusion;
                return hasDense ? FusionMode.DenseOnly : FusionMode.SparseOnly;
        }
    }

    private static void ValidateWrites(UpsertDocumentsRequest request, CollectionConfig config)
    {
        var dimension = config.DenseDimension;
        var errors = new ValidationErrors();
        errors.AddIf(request.Documents.Count == 0, "documents", "must hold at least one document");
        var documentIds = new HashSet<string>(StringComparer.Ordinal);
        var pointIds = new HashSet<string>(StringComparer.Ordinal);
        for (var d = 0; d < request.Documents.Count; d++)
        {
            var document = request.Documents[d];
            var field = $"documents[{d}]";
            errors.AddIf(string.IsNullOrEmpty(document.DocumentId), $"{field}.document_id", "is empty");
            errors.AddIf(document.DocumentId.Length > MaxDocumentIdLength, $"{field}.document_id", $"is longer than {MaxDocumentIdLength} characters");
            errors.AddIf(!documentIds.Add(document.DocumentId), $"{field}.document_id", $"'{Truncate(document.DocumentId)}' appears twice in one request");
            errors.AddIf(document.Points.Count == 0, $"{field}.points", "must hold at least one point");
            for (var p = 0; p < document.Points.Count; p++)
            {
                var point = document.Points[p];
                var pointField = $"{field}.points[{p}]";
                if (point.DocumentId.Length == 0) point.DocumentId = document.DocumentId;
                errors.AddIf(point.DocumentId != document.DocumentId, $"{pointField}.document_id", "differs from the document's id");
                errors.AddIf(string.IsNullOrEmpty(point.Id), $"{pointField}.id", "is empty");
                errors.AddIf(point.Id.Length > 0 && !pointIds.Add(point.Id), $"{pointField}.id", $"'{Truncate(point.Id)}' appears twice in one request");
                errors.AddIf(point.Dense.Count != dimension && !(dimension == 0 && point.Dense.Count == 0), $"{pointField}.dense",
                    $"has {point.Dense.Count} dimensions; the collection has {dimension}");
                errors.AddIf(point.Dense.Any(v => !float.IsFinite(v)), $"{pointField}.dense", "holds a value that is not a finite number");
                errors.AddIf(point.Dense.Count > 0 && point.Dense.All(v => v == 0), $"{pointField}.dense", "is all zeros and has no direction");
                CheckSparse(point.Sparse, $"{pointField}.sparse", errors);
                errors.AddIf(config.TenantKey.Length > 0 && point.Metadata?.Fields.GetValueOrDefault(config.TenantKey) is not { KindCase: Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue, StringValue.Length: > 0 },
                    $"{pointField}.metadata.{config.TenantKey}", "must name the point's tenant (a non-empty string): the collection is multi-tenant");
            }
        }
        errors.ThrowIfAny();
    }

    private static void CheckSparse(SparseVector? vector, string field, ValidationErrors errors)
    {
        if (vector is null) return;
        errors.AddIf(vector.Indices.Count != vector.Values.Count, field, "indices and values differ in length");
        errors.AddIf(vector.Values.Any(v => !float.IsFinite(v) || v < 0), field, "holds a weight that is negative or not finite");
        errors.AddIf(vector.Indices.Distinct().Count() != vector.Indices.Count, field, "repeats an index");
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
