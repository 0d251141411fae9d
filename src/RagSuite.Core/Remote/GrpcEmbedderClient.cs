using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;
using RagSuite.Core.Text;

namespace RagSuite.Core.Remote;

/// <summary>
/// The embedder role served by a remote embedder host. An embedder without a dense model only counts a question's
/// words with <see cref="LexicalSparseEncoder"/>, which this client holds too, so once an embedder has answered with
/// that encoder and no dense vector the client embeds questions itself for <see cref="RemoteServiceOptions.ConfigurationMemory"/>,
/// sparing the hop, and then asks again: a dense model loaded later is used within that time. Passages (ingestion, the
/// generator's grounding) are always sent, as the embedder's own limits apply to them.
/// </summary>
internal sealed class GrpcEmbedderClient(Embedder.EmbedderClient client, GrpcCall call, TimeProvider time) : IEmbedder
{
    /// <summary>Why the embedder has no dense model, in its own words.</summary>
    private readonly ExpiringFact<string> _sparseOnly = new(call.Options.ConfigurationMemory, time);

    public async Task<EmbedResponse> EmbedAsync(EmbedRequest request, CancellationToken cancellationToken)
    {
        var question = request is { Kind: InputKind.Query, Texts: [var text] } && !string.IsNullOrWhiteSpace(text);
        if (question && _sparseOnly.TryGet(out var reason)) return LexicalSparseEncoder.Embed(request.Texts, reason);

        var response = await call.UnaryAsync(CallKind.Read, o => client.EmbedAsync(request, o), cancellationToken);
        if (response.SparseModel == LexicalSparseEncoder.ModelName && response.DenseModel.Length == 0 && response.Embeddings.All(e => e.Dense.Count == 0))
        {
            _sparseOnly.Learn(response.DenseUnavailableReason);
        }
        else
        {
            _sparseOnly.Forget();
        }
        return response;
    }

    public Task<EmbedderInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.GetInfoAsync(new GetEmbedderInfoRequest(), o), cancellationToken);
}
