using RagSuite.Contracts.V1;

namespace RagSuite.Core.Roles;

/// <summary>Turns texts into dense and sparse vectors. In-process or over gRPC, the same contract.</summary>
public interface IEmbedder
{
    Task<EmbedResponse> EmbedAsync(EmbedRequest request, CancellationToken cancellationToken);

    Task<EmbedderInfo> GetInfoAsync(CancellationToken cancellationToken);
}
