using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;

namespace RagSuite.Embedding;

/// <summary>
/// The embedder role in this process. Without a dense model configured it returns sparse vectors
/// only, and says so through <see cref="EmbedderInfo"/> (dense dimension 0).
/// </summary>
public sealed class InProcessEmbedder(IOptions<EmbedderOptions> options, EmbedderMetrics metrics) : IEmbedder
{
    private readonly EmbedderOptions _options = options.Value;

    public Task<EmbedResponse> EmbedAsync(EmbedRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var response = new EmbedResponse { SparseModel = LexicalSparseEncoder.ModelName };
        foreach (var text in request.Texts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (sparse, tokens) = LexicalSparseEncoder.Encode(text);
            response.Embeddings.Add(new Contracts.V1.Embedding { Sparse = sparse, TokenCount = tokens });
        }
        metrics.Record(request.Texts.Count, request.Kind);
        return Task.FromResult(response);
    }

    public Task<EmbedderInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new EmbedderInfo
        {
            SparseModel = LexicalSparseEncoder.ModelName,
            MaxBatchSize = _options.MaxBatchSize,
        });

    private void Validate(EmbedRequest request)
    {
        var errors = new ValidationErrors();
        errors.AddIf(request.Texts.Count == 0, "texts", "must hold at least one text");
        errors.AddIf(request.Texts.Count > _options.MaxBatchSize, "texts",
            $"holds {request.Texts.Count} texts; the limit is {_options.MaxBatchSize} per call");
        errors.AddIf(request.Kind == InputKind.Unspecified, "kind", "must be QUERY or PASSAGE");
        for (var i = 0; i < request.Texts.Count; i++)
        {
            errors.AddIf(request.Texts[i].Length > _options.MaxTextChars, $"texts[{i}]",
                $"is {request.Texts[i].Length} characters; the limit is {_options.MaxTextChars}");
        }
        errors.ThrowIfAny();
    }
}
