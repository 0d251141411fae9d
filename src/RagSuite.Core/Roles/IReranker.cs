using RagSuite.Contracts.V1;

namespace RagSuite.Core.Roles;

/// <summary>Scores passages against a query. In-process or over gRPC, the same contract.</summary>
public interface IReranker
{
    Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellationToken);

    Task<RerankerInfo> GetInfoAsync(CancellationToken cancellationToken);
}
