using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Core.Remote;

/// <summary>
/// The reranker role served by a remote reranker host. A reranker with no cross-encoder whose AUTO runs no reranking
/// would only send the candidates back in their retrieval order, so once it has said so (the note of an AUTO call that
/// ran NONE) the client gives that answer itself for <see cref="RemoteServiceOptions.ConfigurationMemory"/>, sparing the
/// hop, and then asks again.
/// </summary>
internal sealed class GrpcRerankerClient(Reranker.RerankerClient client, GrpcCall call, TimeProvider time) : IReranker
{
    private readonly ExpiringFact<string> _autoRunsNone = new(call.Options.ConfigurationMemory, time);

    public async Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellationToken)
    {
        var auto = request.Mode is RerankMode.Auto or RerankMode.Unspecified;
        if (auto && _autoRunsNone.TryGet(out var note)) return RerankOrder.Unchanged(request, note);

        var response = await call.UnaryAsync(CallKind.Read, o => client.RerankAsync(request, o), cancellationToken);
        if (auto)
        {
            if (response.Mode == RerankMode.None) _autoRunsNone.Learn(response.Note);
            else _autoRunsNone.Forget();
        }
        return response;
    }

    public Task<RerankerInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.GetInfoAsync(new GetRerankerInfoRequest(), o), cancellationToken);
}
