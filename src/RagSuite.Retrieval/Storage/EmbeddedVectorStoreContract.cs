using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Stores;

namespace RagSuite.Retrieval.Storage;

/// <summary>The embedded store behind the <see cref="IVectorStore"/> contract: every call runs in process, on the collection's own lock.</summary>
public sealed partial class EmbeddedVectorStore : IVectorStore
{
    public const string StoreKind = "embedded";

    public string Kind => StoreKind;

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => Loading.WaitAsync(cancellationToken);

    public Task<Collection> CreateCollectionAsync(string name, CollectionConfig config, CancellationToken cancellationToken) =>
        Task.FromResult(Create(name, config));

    public Task<Collection> GetCollectionAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Get(name).Describe());

    public Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken) => Task.FromResult(List());

    public Task DeleteCollectionAsync(string name, CancellationToken cancellationToken)
    {
        Delete(name);
        return Task.CompletedTask;
    }

    public Task<int> UpsertDocumentsAsync(string collection, IReadOnlyList<DocumentWrite> documents, CancellationToken cancellationToken) =>
        Get(collection).WriteAsync(new UpsertDocumentsRequest { Collection = collection, Documents = { documents } }, cancellationToken);

    public async Task<int> DeleteDocumentAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        var stored = Get(collection);
        if (stored.Read(index => index.FindDocument(documentId)) is null) return 0;
        return await stored.WriteAsync(new UpsertDocumentsRequest { Collection = collection, Documents = { new DocumentWrite { DocumentId = documentId } } },
            cancellationToken);
    }

    public async Task<int> DeletePointsAsync(string collection, IReadOnlyList<string> pointIds, CancellationToken cancellationToken)
    {
        var stored = Get(collection);
        var (writes, found) = stored.Read(index => index.WithoutPoints(pointIds));
        if (writes.Count > 0) await stored.WriteAsync(new UpsertDocumentsRequest { Collection = collection, Documents = { writes } }, cancellationToken);
        return found;
    }

    public Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredDocument>>(Get(collection).Read(index =>
            documentIds.Distinct(StringComparer.Ordinal).Select(index.FindDocument).OfType<StoredDocument>().ToList()));

    public Task<SearchResponse> SearchAsync(SearchRequest request, FusionSettings fusion, CancellationToken cancellationToken) =>
        Task.FromResult(Get(request.Collection).Read(index => index.Search(request, fusion.Mode, fusion.DenseWeight, fusion.RrfK)));

    public Task<long> CountAsync(string collection, Filter? filter, CancellationToken cancellationToken) =>
        Task.FromResult(Get(collection).Read(index => index.Count(filter)));

    public Task<ScrollPage> ScrollAsync(string collection, Filter? filter, string? after, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(Get(collection).Read(index => index.Scroll(filter, after, limit)));
}
