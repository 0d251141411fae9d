using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Core.Remote;

/// <summary>The retriever role served by a remote retriever host.</summary>
internal sealed class GrpcRetrieverClient(Retriever.RetrieverClient client, GrpcCall call) : IRetriever
{
    public Task<Collection> CreateCollectionAsync(CreateCollectionRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Once, o => client.CreateCollectionAsync(request, o), cancellationToken);

    public Task<Collection> GetCollectionAsync(GetCollectionRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.GetCollectionAsync(request, o), cancellationToken);

    public Task<ListCollectionsResponse> ListCollectionsAsync(ListCollectionsRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.ListCollectionsAsync(request, o), cancellationToken);

    public Task<DeleteCollectionResponse> DeleteCollectionAsync(DeleteCollectionRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Once, o => client.DeleteCollectionAsync(request, o), cancellationToken);

    public Task<UpsertDocumentsResponse> UpsertDocumentsAsync(UpsertDocumentsRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.IdempotentWrite, o => client.UpsertDocumentsAsync(request, o), cancellationToken);

    public Task<DeleteDocumentResponse> DeleteDocumentAsync(DeleteDocumentRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Once, o => client.DeleteDocumentAsync(request, o), cancellationToken);

    public Task<GetDocumentsResponse> GetDocumentsAsync(GetDocumentsRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.GetDocumentsAsync(request, o), cancellationToken);

    public Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.SearchAsync(request, o), cancellationToken);
}
