using Grpc.Core;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;
using RetrieverContract = RagSuite.Contracts.V1.Retriever;

namespace RagSuite.Retriever;

/// <summary>Serves the retriever role over ragsuite.v1.Retriever.</summary>
internal sealed class RetrieverGrpcService(IRetriever retriever) : RetrieverContract.RetrieverBase
{
    public override Task<Collection> CreateCollection(CreateCollectionRequest request, ServerCallContext context) =>
        retriever.CreateCollectionAsync(request, context.CancellationToken);

    public override Task<Collection> GetCollection(GetCollectionRequest request, ServerCallContext context) =>
        retriever.GetCollectionAsync(request, context.CancellationToken);

    public override Task<ListCollectionsResponse> ListCollections(ListCollectionsRequest request, ServerCallContext context) =>
        retriever.ListCollectionsAsync(request, context.CancellationToken);

    public override Task<DeleteCollectionResponse> DeleteCollection(DeleteCollectionRequest request, ServerCallContext context) =>
        retriever.DeleteCollectionAsync(request, context.CancellationToken);

    public override Task<UpsertDocumentsResponse> UpsertDocuments(UpsertDocumentsRequest request, ServerCallContext context) =>
        retriever.UpsertDocumentsAsync(request, context.CancellationToken);

    public override Task<DeleteDocumentResponse> DeleteDocument(DeleteDocumentRequest request, ServerCallContext context) =>
        retriever.DeleteDocumentAsync(request, context.CancellationToken);

    public override Task<GetDocumentsResponse> GetDocuments(GetDocumentsRequest request, ServerCallContext context) =>
        retriever.GetDocumentsAsync(request, context.CancellationToken);

    public override Task<SearchResponse> Search(SearchRequest request, ServerCallContext context) =>
        retriever.SearchAsync(request, context.CancellationToken);
}
