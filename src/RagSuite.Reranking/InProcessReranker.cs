using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;

namespace RagSuite.Reranking;

/// <summary>
/// The reranker role in this process. AUTO means the cross-encoder when one is configured, else
/// lexical; NONE keeps the retrieval order and is reported as such. No cross-encoder model can be
/// configured yet, so asking for one explicitly is refused rather than quietly answered otherwise.
/// </summary>
public sealed class InProcessReranker(IOptions<RerankerOptions> options, RerankerMetrics metrics) : IReranker
{
    public const string LexicalModel = "lexical-coverage-proximity-v1";

    private readonly RerankerOptions _options = options.Value;

    public Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var mode = request.Mode is RerankMode.Unspecified or RerankMode.Auto ? RerankMode.Lexical : request.Mode;
        var priors = request.PriorScores.Count == request.Passages.Count
            ? request.PriorScores.Select(s => (double)s).ToArray()
            : [.. Enumerable.Range(0, request.Passages.Count).Select(i => -(double)i)];
        var scores = mode == RerankMode.None ? priors : LexicalReranker.Score(request.Query, request.Passages);

        var response = new RerankResponse { Mode = mode, Model = mode == RerankMode.Lexical ? LexicalModel : "" };
        response.Scores.AddRange(Enumerable.Range(0, scores.Length)
            .OrderByDescending(i => scores[i]).ThenByDescending(i => priors[i]).ThenBy(i => i)
            .Select(i => new RerankScore { Index = i, Score = (float)scores[i] }));
        metrics.Record(mode, request.Passages.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return Task.FromResult(response);
    }

    public Task<RerankerInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new RerankerInfo { Model = LexicalModel, CrossEncoderAvailable = false, MaxPassages = _options.MaxPassages });

    private void Validate(RerankRequest request)
    {
        var errors = new ValidationErrors();
        errors.AddIf(string.IsNullOrWhiteSpace(request.Query), "query", "is empty");
        errors.AddIf(request.Query.Length > _options.MaxQueryChars, "query", $"is longer than {_options.MaxQueryChars} characters");
        errors.AddIf(request.Passages.Count == 0, "passages", "must hold at least one passage");
        errors.AddIf(request.Passages.Count > _options.MaxPassages, "passages",
            $"holds {request.Passages.Count} passages; the limit is {_options.MaxPassages}");
        errors.AddIf(request.PriorScores.Count != 0 && request.PriorScores.Count != request.Passages.Count, "prior_scores",
            "must be empty or hold one score per passage");
        errors.AddIf(request.Mode == RerankMode.CrossEncoder, "mode", "no cross-encoder model is configured on this reranker");
        errors.ThrowIfAny();
    }
}
