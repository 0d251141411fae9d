using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Core.Text;
using RagSuite.Inference.Models;

namespace RagSuite.Embedding;

/// <summary>
/// The embedder role in this process: BM25 term vectors always, and dense vectors from the configured model,
/// batched with every other caller's texts. When the dense model is unavailable the response carries sparse
/// vectors only and says why (<c>dense_unavailable_reason</c>), as GetInfo does.
/// </summary>
public sealed class InProcessEmbedder(IOptions<EmbedderOptions> options, DenseModel dense, EmbedderMetrics metrics) : IEmbedder
{
    private readonly EmbedderOptions _options = options.Value;

    public async Task<EmbedResponse> EmbedAsync(EmbedRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var state = await dense.StateAsync(cancellationToken);
        var response = LexicalSparseEncoder.Embed(request.Texts);

        if (state.Encoder is { } encoder)
        {
            var manifest = encoder.Encoder.Manifest;
            var prefix = request.Kind == InputKind.Query ? manifest.QueryPrefix : manifest.PassagePrefix;
            var encoded = request.Kind == InputKind.Passage
                ? await encoder.EncodeWholeAsync(request.Texts, prefix, cancellationToken)
                : await encoder.EncodeAsync(request.Texts, prefix, cancellationToken);
            for (var i = 0; i < encoded.Length; i++)
            {
                var embedding = response.Embeddings[i];
                embedding.Dense.AddRange(encoded[i].Vector);
                embedding.TokenCount = encoded[i].Tokens;
                embedding.Truncated = encoded[i].Truncated;
            }
            response.DenseModel = manifest.Name;
        }
        else
        {
            response.DenseUnavailableReason = state.UnavailableReason ?? "";
        }
        metrics.Record(request.Texts.Count, request.Kind);
        return response;
    }

    public async Task<EmbedderInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var state = await dense.StateAsync(cancellationToken);
        var info = new EmbedderInfo { SparseModel = LexicalSparseEncoder.ModelName, MaxBatchSize = _options.MaxBatchSize };
        info.Models.Add(new ModelInfo { Name = LexicalSparseEncoder.ModelName, Family = "bm25", Role = "sparse", Status = "ready" });
        if (state.Encoder is { } encoder)
        {
            var manifest = encoder.Encoder.Manifest;
            info.DenseModel = manifest.Name;
            info.DenseDimension = manifest.Dimension;
            info.MaxTokens = manifest.MaxTokens;
            info.Models.Add(ModelInfos.Ready(encoder, "dense", _options.Batching));
        }
        else
        {
            info.DenseUnavailableReason = state.UnavailableReason ?? "";
            if (!string.IsNullOrWhiteSpace(dense.Name)) info.Models.Add(ModelInfos.Unavailable(dense.Name, "dense", info.DenseUnavailableReason));
        }
        return info;
    }

    private void Validate(EmbedRequest request)
    {
        var errors = new ValidationErrors();
        errors.AddIf(request.Texts.Count == 0, "texts", "must hold at least one text");
        errors.AddIf(request.Texts.Count > _options.MaxBatchSize, "texts",
            $"holds {request.Texts.Count} texts; the limit is {_options.MaxBatchSize} per call");
        errors.AddIf(request.Kind == InputKind.Unspecified, "kind", "must be QUERY or PASSAGE");
        for (var i = 0; i < request.Texts.Count; i++)
        {
            errors.AddIf(string.IsNullOrWhiteSpace(request.Texts[i]), $"texts[{i}]", "is empty");
            errors.AddIf(request.Texts[i].Length > _options.MaxTextChars, $"texts[{i}]",
                $"is {request.Texts[i].Length} characters; the limit is {_options.MaxTextChars}");
        }
        errors.ThrowIfAny();
    }
}
