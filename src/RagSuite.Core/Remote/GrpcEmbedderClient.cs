using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Core.Remote;

/// <summary>The embedder role served by a remote embedder host.</summary>
internal sealed class GrpcEmbedderClient(Embedder.EmbedderClient client, GrpcCall call) : IEmbedder
{
    public Task<EmbedResponse> EmbedAsync(EmbedRequest request, CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.EmbedAsync(request, o), cancellationToken);

    public Task<EmbedderInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.GetInfoAsync(new GetEmbedderInfoRequest(), o), cancellationToken);
}
