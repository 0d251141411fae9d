using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Core.Remote;

/// <summary>The reranker role served by a remote reranker host.</summary>
internal sealed class GrpcRerankerClient(Reranker.RerankerClient client, GrpcCall call) : IReranker
{
    public Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.RerankAsync(request, o), cancellationToken);

    public Task<RerankerInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.GetInfoAsync(new GetRerankerInfoRequest(), o), cancellationToken);
}
