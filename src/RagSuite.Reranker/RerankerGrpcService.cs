using Grpc.Core;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;
using RerankerContract = RagSuite.Contracts.V1.Reranker;

namespace RagSuite.Reranker;

/// <summary>Serves the reranker role over ragsuite.v1.Reranker.</summary>
internal sealed class RerankerGrpcService(IReranker reranker) : RerankerContract.RerankerBase
{
    public override Task<RerankResponse> Rerank(RerankRequest request, ServerCallContext context) =>
        reranker.RerankAsync(request, context.CancellationToken);

    public override Task<RerankerInfo> GetInfo(GetRerankerInfoRequest request, ServerCallContext context) =>
        reranker.GetInfoAsync(context.CancellationToken);
}
