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
        else if (string.IsNullOrWhiteSpace(question)) errors.Add("question", "is empty");
        else if (question.Length > options.MaxQuestionChars) errors.Add("question", $"is {question.Length} characters; the limit is {options.MaxQuestionChars}");
        else if (!question.Any(char.IsLetterOrDigit)) errors.Add("question", "has no words to search for");

        if (body.Collection is null) errors.Add("collection", "is required");
        else errors.AddIf(!CollectionNames.IsValid(body.Collection), "collection", $"is not a valid collection name ({CollectionNames.Rule})");

        var topK = body.TopK ?? options.DefaultTopK;
        errors.AddIf(topK < 1 || topK > options.MaxTopK, "top_k", $"must be between 1 and {options.MaxTopK}");

        var rerank = ParseRerank(body.Rerank, errors);
        var fusion = ParseFusion(body.Fusion, errors);
        var filter = FilterParser.Parse(body.Filters, errors);
        var parameters = ToParameters(body.Generation);
        GenerationParameterRules.Validate(parameters, "generation.", errors);
        errors.ThrowIfAny();

        return new QueryPlan(question, body.Collection!, (int)topK, rerank, fusion, filter, body.GroupByDocument ?? false,
            body.Generate ?? true, parameters, body.Generation?.Mode ?? "");
    }

    public static string RerankName(RerankMode mode) => mode switch
    {
        RerankMode.None => "none",
        RerankMode.Lexical => "lexical",
        RerankMode.CrossEncoder => "cross-encoder",
        _ => "auto",
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
                }
                break;
        }
        errors.Add("rerank", "must be \"auto\", \"lexical\", \"cross-encoder\", \"none\", true or false");
        return RerankMode.Auto;
    }

    private static FusionMode ParseFusion(string? fusion, ValidationErrors errors)
    {
        switch (fusion)
        {
            case null or "auto": return FusionMode.Unspecified;
            case "rrf": return FusionMode.Rrf;
            case "weighted": return FusionMode.Weighted;
            case "dense": return FusionMode.DenseOnly;
            case "sparse": return FusionMode.SparseOnly;
            default:
                errors.Add("fusion", "must be \"auto\", \"rrf\", \"weighted\", \"dense\" or \"sparse\"");
                return FusionMode.Unspecified;
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
        return parameters;
    }
}
