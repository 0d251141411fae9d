using Grpc.Core;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;
using EmbedderContract = RagSuite.Contracts.V1.Embedder;

namespace RagSuite.Embedder;

/// <summary>Serves the embedder role over ragsuite.v1.Embedder.</summary>
internal sealed class EmbedderGrpcService(IEmbedder embedder) : EmbedderContract.EmbedderBase
{
    public override Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context) =>
        embedder.EmbedAsync(request, context.CancellationToken);

    public override Task<EmbedderInfo> GetInfo(GetEmbedderInfoRequest request, ServerCallContext context) =>
        embedder.GetInfoAsync(context.CancellationToken);
}
