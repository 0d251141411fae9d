using System.Diagnostics;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Inference.Models;

namespace RagSuite.Reranking;

/// <summary>
/// The reranker role in this process. AUTO means the cross-encoder when one is loaded, else
/// <see cref="RerankerOptions.AutoWithoutCrossEncoder"/>; the response names the mode that ran and, when it differs
/// from the one asked for, why. NONE keeps the retrieval order. BI_ENCODER rescores with a sentence encoder
/// over each passage's full text and orders by maximal marginal relevance. LEXICAL is coverage and proximity.
/// </summary>
public sealed class InProcessReranker(IOptions<RerankerOptions> options, CrossEncoderModel crossEncoder, BiEncoderRescorer biEncoder,
    RerankerMetrics metrics) : IReranker
{
    public const string LexicalModel = "lexical-coverage-proximity-v1";

    private readonly RerankerOptions _options = options.Value;

    public async Task<RerankResponse> RerankAsync(RerankRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var started = Stopwatch.GetTimestamp();
        var cross = await crossEncoder.StateAsync(cancellationToken);
        var (mode, note) = Resolve(request.Mode, cross);
        var priors = RerankOrder.Priors(request);

        var response = new RerankResponse { Mode = mode, Note = note };
        double[] scores;
        int[]? order = null;
        switch (mode)
        {
            case RerankMode.Lexical:
                scores = LexicalReranker.Score(request.Query, request.Passages);
                response.Model = LexicalModel;
                break;
            case RerankMode.CrossEncoder:
                var pairs = await cross.Encoder!.ScoreAsync(request.Query, request.Passages, cancellationToken);
                scores = [.. pairs.Select(p => (double)p.Score)];
                response.Truncated.AddRange(Enumerable.Range(0, pairs.Length).Where(i => pairs[i].Truncated));
                response.Model = cross.Encoder.Encoder.Manifest.Name;
                break;
            case RerankMode.BiEncoder:
                var rescored = await biEncoder.ScoreAsync(request.Query, request.Passages, cancellationToken);
                scores = rescored.Relevance;
                order = MaximalMarginalRelevance.Order(scores, rescored.Vectors, request.HasMmrLambda ? request.MmrLambda : _options.MmrLambda);
                response.Truncated.AddRange(rescored.Truncated);
                response.Model = rescored.Model;
                break;
            default:
                scores = priors;
                break;
        }

        order ??= RerankOrder.Of(scores, priors);
        response.Scores.AddRange(order.Select(i => new RerankScore { Index = i, Score = (float)scores[i] }));
        metrics.Record(mode, request.Passages.Count, Stopwatch.GetElapsedTime(started));
        return response;
    }

    public async Task<RerankerInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var cross = await crossEncoder.StateAsync(cancellationToken);
        var (auto, _) = Resolve(RerankMode.Auto, cross);
        var info = new RerankerInfo
        {
            CrossEncoderAvailable = cross.Encoder is not null,
            MaxPassages = _options.MaxPassages,
            AutoMode = auto,
            Model = auto switch
            {
                RerankMode.CrossEncoder => cross.Encoder!.Encoder.Manifest.Name,
                RerankMode.BiEncoder => _options.BiEncoderModel,
                RerankMode.Lexical => LexicalModel,
                _ => "",
            },
        };
        if (cross.Encoder is { } encoder)
        {
            info.Models.Add(ModelInfos.Ready(encoder.Encoder.Manifest, "cross-encoder", encoder.Encoder.Provider, _options.Batching));
        }
        else if (cross.UnavailableReason is { } reason)
        {
            info.Models.Add(ModelInfos.Unavailable(crossEncoder.Name, "cross-encoder", reason));
        }
        info.Models.Add(new ModelInfo { Name = LexicalModel, Family = "lexical", Role = "lexical", Status = "ready" });
        return info;
    }

    private (RerankMode Mode, string Note) Resolve(RerankMode asked, CrossEncoderState cross)
    {
        switch (asked)
        {
            case RerankMode.Unspecified or RerankMode.Auto:
                if (cross.Encoder is not null) return (RerankMode.CrossEncoder, "");
                var fallback = _options.AutoWithoutCrossEncoder;
                var why = cross.UnavailableReason ?? "no cross-encoder is configured";
                return (fallback, $"{why}; auto runs {Name(fallback)} here ({RerankerOptions.Section}:AutoWithoutCrossEncoder)");
            case RerankMode.CrossEncoder when cross.Encoder is null:
                if (cross.UnavailableReason is { } reason) throw new RagSuiteException(ErrorKind.Unavailable, reason);
                throw RagSuiteException.Invalid("mode", $"no cross-encoder model is configured on this reranker ({RerankerOptions.Section}:CrossEncoderModel)");
            default:
                return (asked, "");
        }
    }

    private static string Name(RerankMode mode) => mode switch
    {
        RerankMode.BiEncoder => "bi-encoder rescoring",
        RerankMode.Lexical => "lexical reranking",
        _ => "no reranking",
    };

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
        errors.AddIf(request.HasMmrLambda && !(request.MmrLambda >= 0 && request.MmrLambda <= 1), "mmr_lambda", "must be between 0 and 1");
        errors.AddIf(!Enum.IsDefined(request.Mode), "mode", "is not a known rerank mode");
        if (request.Mode == RerankMode.BiEncoder)
        {
            for (var i = 0; i < request.Passages.Count; i++)
            {
                errors.AddIf(string.IsNullOrWhiteSpace(request.Passages[i]), $"passages[{i}]", "is empty");
            }
        }
        errors.ThrowIfAny();
    }
}
