using System.Text.Json;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Validation;
using RagSuite.Gateway.Pipeline;
using RagSuite.Retrieval;

namespace RagSuite.Gateway.Api;

/// <summary>Checks a <see cref="QueryBody"/> and turns it into a <see cref="QueryPlan"/>, reporting every problem at once.</summary>
public static class QueryRequests
{
    public static QueryPlan ToPlan(QueryBody body, GatewayOptions options)
    {
        var errors = new ValidationErrors();
        var question = body.Question ?? "";
        if (body.Question is null) errors.Add("question", "is required");
        else QuestionRules.Check(question, "question", options.MaxQuestionChars, errors);

        if (body.Collection is null) errors.Add("collection", "is required");
        else errors.AddIf(!CollectionNames.IsValid(body.Collection), "collection", $"is not a valid collection name ({CollectionNames.Rule})");

        var topK = body.TopK ?? options.DefaultTopK;
        errors.AddIf(topK < 1 || topK > options.MaxTopK, "top_k", $"must be between 1 and {options.MaxTopK}");

        var rerank = ParseRerank(body.Rerank, errors);
        var fusion = ParseMode(body.Mode, body.Fusion, errors);
        errors.AddIf(body.Alpha is { } alpha && !(alpha >= 0 && alpha <= 1), "alpha", "must be between 0 and 1");
        errors.AddIf(body.RrfK is < 1 or > 10_000, "rrf_k", "must be between 1 and 10000");
        errors.AddIf(body.MmrLambda is { } lambda && !(lambda >= 0 && lambda <= 1), "mmr_lambda", "must be between 0 and 1");
        errors.AddIf((body.Alpha is not null || body.RrfK is not null) && fusion is FusionMode.DenseOnly or FusionMode.SparseOnly, "alpha",
            "alpha and rrf_k tune hybrid fusion; they do not apply to dense or sparse mode");
        errors.AddIf(body.MmrLambda is not null && rerank is not (RerankMode.BiEncoder or RerankMode.Auto), "mmr_lambda",
            "applies to bi-encoder reranking only");
        errors.AddIf(body.Ef is < 1 or > 10_000, "ef", "must be between 1 and 10000");
        errors.AddIf((body.Ef is not null || body.Exact is not null) && fusion is FusionMode.SparseOnly, "ef",
            "ef and exact tune dense search; they do not apply to sparse mode");
        // alpha 0 is all sparse; the retriever reads a dense share of 0 as "its default".
        if (body.Alpha == 0) fusion = FusionMode.SparseOnly;
        var filter = FilterParser.Parse(body.Filters, errors);
        errors.AddIf(body.Tenant is { Length: 0 or > 256 }, "tenant", "must be 1-256 characters (or absent)");
        var parameters = ToParameters(body.Generation);
        GenerationParameterRules.Validate(parameters, "generation.", errors);
        errors.AddIf(body.Generation?.Template is { } template && (template.Length is 0 or > 128), "generation.template", "must be 1-128 characters (or absent)");
        errors.AddIf(body.Generation?.Route is { } route && (route.Length is 0 or > 128), "generation.route", "must be 1-128 characters (or absent)");
        errors.ThrowIfAny();

        return new QueryPlan(question, body.Collection!, (int)topK, rerank, fusion, filter, body.GroupByDocument ?? false,
            body.Generate ?? true, parameters, body.Generation?.Mode ?? "", body.Alpha ?? 0, body.RrfK ?? 0, body.MmrLambda, body.Ef ?? 0, body.Exact ?? false,
            body.Tenant ?? "", body.Generation?.Template ?? "", body.Generation?.Route ?? "");
    }

    public static string RerankName(RerankMode mode) => mode switch
    {
        RerankMode.None => "none",
        RerankMode.Lexical => "lexical",
        RerankMode.CrossEncoder => "cross-encoder",
        RerankMode.BiEncoder => "bi-encoder",
        _ => "auto",
    };

    /// <summary>The retrieval mode a fusion amounts to: <c>dense</c>, <c>sparse</c> or <c>hybrid</c>.</summary>
    public static string ModeName(FusionMode fusion) => fusion switch
    {
        FusionMode.DenseOnly => "dense",
        FusionMode.SparseOnly => "sparse",
        _ => "hybrid",
    };

    private static RerankMode ParseRerank(JsonElement? rerank, ValidationErrors errors)
    {
        if (rerank is not { } value || value.ValueKind == JsonValueKind.Null) return RerankMode.Auto;
        switch (value.ValueKind)
        {
            case JsonValueKind.True: return RerankMode.Auto;
            case JsonValueKind.False: return RerankMode.None;
            case JsonValueKind.String:
                switch (value.GetString())
                {
                    case "auto": return RerankMode.Auto;
                    case "none": return RerankMode.None;
                    case "lexical": return RerankMode.Lexical;
                    case "cross-encoder": return RerankMode.CrossEncoder;
                    case "bi-encoder": return RerankMode.BiEncoder;
                }
                break;
        }
        errors.Add("rerank", "must be \"auto\", \"cross-encoder\", \"bi-encoder\", \"lexical\", \"none\", true or false");
        return RerankMode.Auto;
    }

    /// <summary>
    /// <c>mode</c> and <c>fusion</c> as one fusion mode. <c>fusion: "dense"</c> and <c>"sparse"</c>, from before
    /// <c>mode</c> existed, still mean those modes.
    /// </summary>
    private static FusionMode ParseMode(string? mode, string? fusion, ValidationErrors errors)
    {
        FusionMode? fromFusion = fusion switch
        {
            null or "auto" => FusionMode.Unspecified,
            "rrf" => FusionMode.Rrf,
            "weighted" => FusionMode.Weighted,
            "dense" => FusionMode.DenseOnly,
            "sparse" => FusionMode.SparseOnly,
            _ => null,
        };
        if (fromFusion is null)
        {
            errors.Add("fusion", "must be \"auto\", \"rrf\" or \"weighted\"");
            fromFusion = FusionMode.Unspecified;
        }
        switch (mode)
        {
            case null:
                return fromFusion.Value;
            case "hybrid":
                errors.AddIf(fromFusion is FusionMode.DenseOnly or FusionMode.SparseOnly, "fusion", $"\"{fusion}\" contradicts mode \"hybrid\"");
                return fromFusion.Value;
            case "dense" or "sparse":
                var wanted = mode == "dense" ? FusionMode.DenseOnly : FusionMode.SparseOnly;
                errors.AddIf(fromFusion != FusionMode.Unspecified && fromFusion != wanted, "fusion", $"applies to mode \"hybrid\" only, not \"{mode}\"");
                return wanted;
            default:
                errors.Add("mode", "must be \"hybrid\", \"dense\" or \"sparse\"");
                return fromFusion.Value;
        }
    }

    private static GenerationParameters ToParameters(GenerationBody? body)
    {
        var parameters = new GenerationParameters();
        if (body is null) return parameters;
        if (body.Temperature is { } temperature) parameters.Temperature = temperature;
        if (body.TopP is { } topP) parameters.TopP = topP;
        if (body.TopK is { } topK) parameters.TopK = topK;
        if (body.MaxTokens is { } maxTokens) parameters.MaxTokens = maxTokens;
        if (body.Stop is { } stop) parameters.Stop.AddRange(stop.Select(s => s ?? ""));
        if (body.Seed is { } seed) parameters.Seed = seed;
        if (body.PresencePenalty is { } presence) parameters.PresencePenalty = presence;
        if (body.FrequencyPenalty is { } frequency) parameters.FrequencyPenalty = frequency;
        return parameters;
    }
}
