using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// The catalogue collection (<see cref="QdrantOptions.CatalogCollection"/>): one vector-less point per RagSuite
/// collection, keyed by the collection's name, holding its <see cref="QdrantCatalogEntry"/>. A Qdrant collection is
/// a RagSuite collection only while the catalogue lists it; others on the same server are left alone.
/// </summary>
internal sealed class QdrantCatalog(QdrantRestClient client, IOptions<QdrantOptions> options)
{
    private readonly QdrantOptions _options = options.Value;
    private readonly string _name = options.Value.CatalogCollection;

    public string Name => _name;

    /// <summary>Creates the catalogue collection unless it exists (another replica may create it at the same moment).</summary>
    public async Task EnsureExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.GetCollectionAsync(_name, cancellationToken);
        }
        catch (RagSuiteException e) when (e.Kind == ErrorKind.NotFound)
        {
            try
            {
                // Its points need no vector; a sparse-only layout is the smallest Qdrant documents as valid. It is replicated
                // as the data is (without it no collection can be found), but keeps the default shard count: it is tiny.
                await client.CreateCollectionAsync(_name, new QdrantCreateCollection([], new() { [QdrantVectorStore.SparseVector] = new QdrantSparseVectorParams(null) },
                    ReplicationFactor: _options.ReplicationFactor, WriteConsistencyFactor: _options.WriteConsistencyFactor), cancellationToken);
            }
            catch (RagSuiteException c) when (c.Kind == ErrorKind.Conflict)
            {
                // Created meanwhile by another replica: that is all we wanted.
            }
        }
    }

    public async Task<QdrantCatalogEntry?> FindAsync(string collection, CancellationToken cancellationToken)
    {
        var records = await client.RetrieveAsync(_name, new QdrantRetrieve([QdrantPointIds.For(collection)], JsonValue.Create(true), false), cancellationToken);
        return records.Select(Entry).FirstOrDefault(e => e?.Name == collection);
    }

    public async Task<QdrantCatalogEntry> GetAsync(string collection, CancellationToken cancellationToken) =>
        await FindAsync(collection, cancellationToken) ?? throw RagSuiteException.NotFound($"Collection '{collection}' does not exist.");

    public async Task<IReadOnlyList<QdrantCatalogEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = new List<QdrantCatalogEntry>();
        Guid? offset = null;
        do
        {
            var page = await client.ScrollAsync(_name, new QdrantScroll(null, 256, offset, JsonValue.Create(true), false), cancellationToken);
            entries.AddRange(page.Points.Select(Entry).OfType<QdrantCatalogEntry>());
            offset = page.NextPageOffset;
        }
        while (offset is not null);
        return [.. entries.OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    public Task PutAsync(QdrantCatalogEntry entry, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToNode(entry, QdrantJsonContext.Default.QdrantCatalogEntry)!.AsObject();
        return client.UpsertAsync(_name, new QdrantUpsert([new QdrantPoint(QdrantPointIds.For(entry.Name), new QdrantPointVectors(null, null), payload)]),
            cancellationToken);
    }

    public Task DeleteAsync(string collection, CancellationToken cancellationToken) =>
        client.DeleteAsync(_name, new QdrantDeletePoints([QdrantPointIds.For(collection)], null), cancellationToken);

    /// <summary>The collection an entry describes, with the given counts.</summary>
    public static Collection Describe(QdrantCatalogEntry entry, long documents, long points) => new()
    {
        Name = entry.Name,
        Config = Config(entry),
        DocumentCount = documents,
        PointCount = points,
        CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(entry.CreatedAt, DateTimeKind.Utc)),
    };

    public static CollectionConfig Config(QdrantCatalogEntry entry) => QdrantPayload.FromJson<CollectionConfig>(entry.Config);

    private static QdrantCatalogEntry? Entry(QdrantRecord record) =>
        record.Payload is { } payload ? payload.Deserialize(QdrantJsonContext.Default.QdrantCatalogEntry) : null;
}
