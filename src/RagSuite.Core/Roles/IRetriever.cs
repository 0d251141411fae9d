using RagSuite.Contracts.V1;

namespace RagSuite.Core.Roles;

/// <summary>Stores points in collections and searches them. In-process or over gRPC, the same contract.</summary>
public interface IRetriever
{
    Task<Collection> CreateCollectionAsync(CreateCollectionRequest request, CancellationToken cancellationToken);

    Task<Collection> GetCollectionAsync(GetCollectionRequest request, CancellationToken cancellationToken);

    Task<ListCollectionsResponse> ListCollectionsAsync(ListCollectionsRequest request, CancellationToken cancellationToken);

    Task<DeleteCollectionResponse> DeleteCollectionAsync(DeleteCollectionRequest request, CancellationToken cancellationToken);

    Task<UpsertDocumentsResponse> UpsertDocumentsAsync(UpsertDocumentsRequest request, CancellationToken cancellationToken);

    Task<DeleteDocumentResponse> DeleteDocumentAsync(DeleteDocumentRequest request, CancellationToken cancellationToken);

    Task<GetDocumentsResponse> GetDocumentsAsync(GetDocumentsRequest request, CancellationToken cancellationToken);

    Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken);
}
