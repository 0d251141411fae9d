using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// The <see cref="IVectorStore"/> contract on Qdrant. A RagSuite collection is a Qdrant collection with a named dense
/// vector <c>dense</c> (Cosine or Dot, as the collection's distance; when it has dense vectors) and a sparse vector <c>sparse</c> whose IDF
/// Qdrant computes (<see cref="Bm25Saturation"/> supplies the rest of BM25), plus an entry in <see cref="QdrantCatalog"/>
/// holding its configuration. Point payloads are laid out by <see cref="QdrantPayload"/>. Qdrant has no transactions:
/// a document's replacement deletes its stale points and then writes the new ones, so a concurrent reader may briefly
/// see a mixture; writing the same batch again converges on the same points.
/// </summary>
internal sealed partial class QdrantVectorStore(QdrantRestClient client, QdrantCatalog catalog, IOptions<QdrantOptions> options) : IVectorStore
{
    public const string StoreKind = "qdrant";
    public const string DenseVector = "dense";
    public const string SparseVector = "sparse";

    /// <summary>Points per upsert request, well under Qdrant's default 32 MiB body limit for long chunks with vectors.</summary>
    private const int UpsertBatch = 256;

    /// <summary>Points per page when this store walks a collection itself.</summary>
    private const int ScrollBatch = 1000;

    private readonly Lock _readyLock = new();
    private Task? _ready;

    public string Kind => StoreKind;

    /// <summary>Ready once Qdrant answers and the catalogue exists; a failed attempt is forgotten so the next call tries again.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_readyLock) ready = _ready ??= catalog.EnsureExistsAsync(CancellationToken.None);
        try
        {
            await ready.WaitAsync(cancellationToken);
        }
        catch
        {
            lock (_readyLock) if (_ready == ready && ready.IsFaulted) _ready = null;
            throw;
        }
    }

    public async Task<Collection> CreateCollectionAsync(string name, CollectionConfig config, CancellationToken cancellationToken)
    {
        if (name == catalog.Name) throw RagSuiteException.Invalid("name", $"'{name}' is reserved for RagSuite's catalogue on Qdrant");
        if (await catalog.FindAsync(name, cancellationToken) is not null) throw RagSuiteException.Conflict($"Collection '{name}' already exists.");
        await client.CreateCollectionAsync(name, CollectionLayout(config, options.Value), cancellationToken);
        await client.CreatePayloadIndexAsync(name, new QdrantPayloadIndex(QdrantPayload.DocumentId, new QdrantIndexSchema("keyword")), cancellationToken);
        await client.CreatePayloadIndexAsync(name, new QdrantPayloadIndex(QdrantPayload.DocumentHead, new QdrantIndexSchema("bool")), cancellationToken);
        if (config.TenantKey.Length > 0)
        {
            await client.CreatePayloadIndexAsync(name,
                new QdrantPayloadIndex(QdrantFilter.PayloadKey(config.TenantKey), new QdrantIndexSchema("keyword", IsTenant: true)), cancellationToken);
        }
        // Microseconds, as the Timestamp that describes it carries them through JSON.
        var created = new DateTime(DateTime.UtcNow.Ticks / 10 * 10, DateTimeKind.Utc);
        var entry = new QdrantCatalogEntry(name, QdrantPayload.ToJson(config), created, Bm25Saturation.DefaultAverageLength);
        await catalog.PutAsync(entry, cancellationToken);
        return QdrantCatalog.Describe(entry, 0, 0);
    }

    /// <summary>The Qdrant collection a configuration asks for, distributed over the cluster as the options say.</summary>
    internal static QdrantCreateCollection CollectionLayout(CollectionConfig config, QdrantOptions options)
    {
        var vectors = new Dictionary<string, QdrantDenseVectorParams>();
        if (config.DenseDimension > 0)
        {
            var index = config.DenseIndex;
            var hnsw = index is { M: > 0 } or { EfConstruction: > 0 } ? new QdrantHnswConfig(index.M > 0 ? index.M : null, index.EfConstruction > 0 ? index.EfConstruction : null) : null;
            var int8 = index is { Int8: true } ? new QdrantQuantization(new QdrantScalarQuantization("int8", AlwaysRam: true)) : null;
            var distance = config.DenseDistance == DenseDistance.Dot ? "Dot" : "Cosine";
            vectors[DenseVector] = new QdrantDenseVectorParams(config.DenseDimension, distance, hnsw, int8);
        }
        return new QdrantCreateCollection(vectors, new Dictionary<string, QdrantSparseVectorParams> { [SparseVector] = new("idf") },
            options.ShardNumber, options.ReplicationFactor, options.WriteConsistencyFactor);
    }

    public async Task<Collection> GetCollectionAsync(string name, CancellationToken cancellationToken) =>
        await DescribeAsync(await catalog.GetAsync(name, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken)
    {
        var collections = new List<Collection>();
        foreach (var entry in await catalog.ListAsync(cancellationToken))
        {
            try
            {
                collections.Add(await DescribeAsync(entry, cancellationToken));
            }
            catch (RagSuiteException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Its Qdrant collection is gone (a delete cut short before the catalogue entry went): not listed.
            }
        }
        return collections;
    }

    public async Task DeleteCollectionAsync(string name, CancellationToken cancellationToken)
    {
        if (name == catalog.Name || await catalog.FindAsync(name, cancellationToken) is null) throw RagSuiteException.NotFound($"Collection '{name}' does not exist.");
        try
        {
            await client.DeleteCollectionAsync(name, cancellationToken);
        }
        catch (RagSuiteException e) when (e.Kind == ErrorKind.NotFound)
        {
            // Deleted before, by a call that did not get to the catalogue: finish its work.
        }
        await catalog.DeleteAsync(name, cancellationToken);
    }

    public async Task<int> UpsertDocumentsAsync(string collection, IReadOnlyList<DocumentWrite> documents, CancellationToken cancellationToken)
    {
        var entry = await catalog.GetAsync(collection, cancellationToken);
        var bm25 = QdrantCatalog.Config(entry).Bm25 ?? new Bm25Parameters { K1 = InProcessRetriever.DefaultK1, B = InProcessRetriever.DefaultB };
        var replaced = 0;
        var points = new List<QdrantPoint>();
        foreach (var document in documents)
        {
            var ofDocument = QdrantFilter.Equal(QdrantPayload.DocumentId, document.DocumentId);
            replaced += (int)await client.CountAsync(collection, new QdrantCount(new QdrantFilterBody([ofDocument], null, null), true), cancellationToken);
            var ids = document.Points.Select(p => QdrantPointIds.For(p.Id)).ToList();
            // The old version's points that the new one does not overwrite.
            var stale = new QdrantFilterBody([ofDocument], ids.Count > 0 ? [QdrantFilter.HasId(ids)] : null, null);
            await client.DeleteAsync(collection, new QdrantDeletePoints(null, stale), cancellationToken);
            for (var i = 0; i < document.Points.Count; i++)
            {
                var point = document.Points[i];
                var vectors = new QdrantPointVectors(
                    point.Dense.Count > 0 ? [.. point.Dense] : null,
                    point.Sparse is { Indices.Count: > 0 } sparse ? Bm25Saturation.Apply(sparse, bm25.K1, bm25.B, entry.Bm25AverageLength) : null);
                points.Add(new QdrantPoint(ids[i], vectors, QdrantPayload.For(point, document.DocumentId, document.ContentHash, head: i == 0, document.Points.Count)));
            }
        }
        foreach (var batch in points.Chunk(UpsertBatch)) await client.UpsertAsync(collection, new QdrantUpsert(batch), cancellationToken);
        return replaced;
    }

    public async Task<int> DeleteDocumentAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        var ofDocument = new QdrantFilterBody([QdrantFilter.Equal(QdrantPayload.DocumentId, documentId)], null, null);
        var count = (int)await client.CountAsync(collection, new QdrantCount(ofDocument, true), cancellationToken);
        if (count > 0) await client.DeleteAsync(collection, new QdrantDeletePoints(null, ofDocument), cancellationToken);
        return count;
    }

    public async Task<int> DeletePointsAsync(string collection, IReadOnlyList<string> pointIds, CancellationToken cancellationToken)
    {
        var wanted = pointIds.ToHashSet(StringComparer.Ordinal);
        var found = (await client.RetrieveAsync(collection,
                new QdrantRetrieve([.. wanted.Select(QdrantPointIds.For)], Fields(QdrantPayload.PointId, QdrantPayload.DocumentId), false), cancellationToken))
            .Where(r => r.Payload is { } p && wanted.Contains(QdrantPayload.String(p, QdrantPayload.PointId)))
            .ToList();
        if (found.Count == 0) return 0;
        await client.DeleteAsync(collection, new QdrantDeletePoints([.. found.Select(r => r.Id)], null), cancellationToken);
        foreach (var documentId in found.Select(r => QdrantPayload.String(r.Payload!, QdrantPayload.DocumentId)).Distinct(StringComparer.Ordinal))
        {
            await RenewHeadAsync(collection, documentId, cancellationToken);
        }
        return found.Count;
    }

    /// <summary>
    /// After some of a document's points went, its remaining ones no longer hold all its content: they lose the content
    /// hash (as in the embedded store) and one of them becomes the head with the new chunk count.
    /// </summary>
    private async Task RenewHeadAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        var ofDocument = new QdrantFilterBody([QdrantFilter.Equal(QdrantPayload.DocumentId, documentId)], null, null);
        var remaining = await client.CountAsync(collection, new QdrantCount(ofDocument, true), cancellationToken);
        if (remaining == 0) return;
        await client.SetPayloadAsync(collection, new QdrantSetPayload(new JsonObject { [QdrantPayload.ContentHash] = "", [QdrantPayload.DocumentHead] = false },
            null, ofDocument), cancellationToken);
        var first = await client.ScrollAsync(collection, new QdrantScroll(ofDocument, 1, null, JsonValue.Create(false), false), cancellationToken);
        await client.SetPayloadAsync(collection, new QdrantSetPayload(new JsonObject { [QdrantPayload.DocumentHead] = true, [QdrantPayload.ChunkCount] = remaining },
            [first.Points[0].Id], null), cancellationToken);
    }

    public async Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken)
    {
        var wanted = documentIds.Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
        foreach (var batch in wanted.Chunk(ScrollBatch))
        {
            var heads = new QdrantFilterBody([QdrantFilter.AnyOf(QdrantPayload.DocumentId, batch), QdrantFilter.Equal(QdrantPayload.DocumentHead, true)], null, null);
            var page = await client.ScrollAsync(collection,
                new QdrantScroll(heads, batch.Length, null, Fields(QdrantPayload.DocumentId, QdrantPayload.ContentHash, QdrantPayload.ChunkCount), false),
                cancellationToken);
            foreach (var payload in page.Points.Select(p => p.Payload).OfType<JsonObject>())
            {
                var id = QdrantPayload.String(payload, QdrantPayload.DocumentId);
                found[id] = new StoredDocument
                {
                    DocumentId = id,
                    ContentHash = QdrantPayload.String(payload, QdrantPayload.ContentHash),
                    ChunkCount = payload[QdrantPayload.ChunkCount]?.GetValue<int>() ?? 0,
                };
            }
        }
        return [.. wanted.Where(found.ContainsKey).Select(id => found[id])];
    }

    public Task<long> CountAsync(string collection, Filter? filter, CancellationToken cancellationToken) =>
        client.CountAsync(collection, new QdrantCount(QdrantFilter.From(filter), true), cancellationToken);

    /// <summary>
    /// Pages in our point id order, which Qdrant cannot sort by (its scroll follows its own UUIDs, and <c>order_by</c>
    /// takes numeric fields only): the matching ids are listed, sorted here, and the page's points read by id. A page
    /// therefore costs a walk over the matching points' ids.
    /// </summary>
    public async Task<ScrollPage> ScrollAsync(string collection, Filter? filter, string? after, int limit, CancellationToken cancellationToken)
    {
        var ids = new List<(string PointId, Guid Id)>();
        Guid? offset = null;
        do
        {
            var page = await client.ScrollAsync(collection, new QdrantScroll(QdrantFilter.From(filter), ScrollBatch, offset, Fields(QdrantPayload.PointId), false),
                cancellationToken);
            foreach (var record in page.Points)
            {
                var pointId = record.Payload is { } p ? QdrantPayload.String(p, QdrantPayload.PointId) : "";
                if (after is null || string.CompareOrdinal(pointId, after) > 0) ids.Add((pointId, record.Id));
            }
            offset = page.NextPageOffset;
        }
        while (offset is not null);
        var chosen = ids.OrderBy(i => i.PointId, StringComparer.Ordinal).Take(limit + 1).ToList();
        var points = await ReadPointsAsync(collection, [.. chosen.Take(limit).Select(i => i.Id)], cancellationToken);
        return new ScrollPage(points, chosen.Count > limit ? chosen[limit - 1].PointId : null);
    }

    private async Task<Collection> DescribeAsync(QdrantCatalogEntry entry, CancellationToken cancellationToken)
    {
        var counts = await Task.WhenAll(
            client.CountAsync(entry.Name, new QdrantCount(new QdrantFilterBody([QdrantFilter.Equal(QdrantPayload.DocumentHead, true)], null, null), true), cancellationToken),
            client.CountAsync(entry.Name, new QdrantCount(null, true), cancellationToken));
        return QdrantCatalog.Describe(entry, counts[0], counts[1]);
    }

    /// <summary>Points by Qdrant id, with their payloads and without vectors, in the order of <paramref name="ids"/>.</summary>
    private async Task<List<Point>> ReadPointsAsync(string collection, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return [];
        var records = (await client.RetrieveAsync(collection, new QdrantRetrieve(ids, JsonValue.Create(true), false), cancellationToken))
            .Where(r => r.Payload is not null)
            .ToDictionary(r => r.Id, r => QdrantPayload.ToPoint(r.Payload!));
        return [.. ids.Where(records.ContainsKey).Select(id => records[id])];
    }

    /// <summary>A <c>with_payload</c> that asks for these fields only.</summary>
    private static JsonObject Fields(params string[] fields) => new() { ["include"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]) };
}
