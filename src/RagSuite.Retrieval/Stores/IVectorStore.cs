using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores;

/// <summary>
/// Where the retriever keeps collections: the embedded store, Qdrant, or PostgreSQL with pgvector. A collection holds
/// points with a dense vector of fixed dimension (compared by cosine), a sparse term vector and a JSON payload (text,
/// metadata, lineage), grouped into documents. Requests arrive validated by the retriever, which also scopes them to a
/// tenant; a store answers a missing collection with <see cref="Core.Errors.RagSuiteException.NotFound"/> and an
/// existing one on create with <see cref="Core.Errors.RagSuiteException.Conflict"/>.
/// </summary>
public interface IVectorStore
{
    /// <summary>Which backend this is, as configuration names it (embedded, qdrant, pgvector).</summary>
    string Kind { get; }

    /// <summary>Completes once the store can answer: its collections loaded, or its server reached.</summary>
    Task WaitUntilReadyAsync(CancellationToken cancellationToken);

    Task<Collection> CreateCollectionAsync(string name, CollectionConfig config, CancellationToken cancellationToken);

    /// <summary>The collection's configuration and counts.</summary>
    Task<Collection> GetCollectionAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken);

    Task DeleteCollectionAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Writes documents: each one's points replace whatever that document held before, so writing the same batch
    /// again changes nothing (idempotent by point id). Returns the points the replaced versions held.
    /// </summary>
    Task<int> UpsertDocumentsAsync(string collection, IReadOnlyList<DocumentWrite> documents, CancellationToken cancellationToken);

    /// <summary>Removes a document's points and returns how many there were (0: no such document).</summary>
    Task<int> DeleteDocumentAsync(string collection, string documentId, CancellationToken cancellationToken);

    /// <summary>Removes points by id, wherever their documents are; returns how many existed.</summary>
    Task<int> DeletePointsAsync(string collection, IReadOnlyList<string> pointIds, CancellationToken cancellationToken);

    /// <summary>What is stored for the given documents (content hash and chunk count); unknown ids are left out.</summary>
    Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken);

    /// <summary>
    /// Dense, sparse or hybrid top k under the request's filter, by <paramref name="fusion"/> (already resolved from the
    /// request and the retriever's defaults). Hits carry text, metadata and lineage but no vectors.
    /// </summary>
    Task<SearchResponse> SearchAsync(SearchRequest request, FusionSettings fusion, CancellationToken cancellationToken);

    /// <summary>Points that match the filter (all of them without one).</summary>
    Task<long> CountAsync(string collection, Filter? filter, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> points that match the filter, in point id order (ordinal), after the point id
    /// <paramref name="after"/>; the page's <see cref="ScrollPage.Next"/> continues from there.
    /// </summary>
    Task<ScrollPage> ScrollAsync(string collection, Filter? filter, string? after, int limit, CancellationToken cancellationToken);
}
