using Microsoft.AspNetCore.Http.HttpResults;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Gateway.Api;

/// <summary><c>GET /v1/models</c>: the models behind the embedder and the reranker, loaded or not and why, and what AUTO reranking runs.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", ListAsync).WithTags("Models").WithName("ListModels")
            .WithSummary("List the embedding and reranking models, their status and settings");
        return app;
    }

    private static async Task<Ok<ModelList>> ListAsync(IEmbedder embedder, IReranker reranker, CancellationToken cancellationToken)
    {
        var embedderInfo = await embedder.GetInfoAsync(cancellationToken);
        var rerankerInfo = await reranker.GetInfoAsync(cancellationToken);
        var models = embedderInfo.Models.Select(m => View(m, "embedder")).Concat(rerankerInfo.Models.Select(m => View(m, "reranker"))).ToList();
        return TypedResults.Ok(new ModelList(models, embedderInfo.DenseModel is { Length: > 0 } dense ? dense : null,
            QueryRequests.RerankName(rerankerInfo.AutoMode)));
    }

    private static ModelView View(ModelInfo model, string service) => new(
        model.Name, service, model.Role, model.Status,
        NullIfEmpty(model.Family), model.Dimension > 0 ? model.Dimension : null, model.MaxTokens > 0 ? model.MaxTokens : null,
        NullIfEmpty(model.Precision), NullIfEmpty(model.Pooling), model.Status == "ready" && model.Dimension > 0 ? model.Normalized : null,
        NullIfEmpty(model.ExecutionProvider), model.MaxBatchTokens > 0 ? model.MaxBatchTokens : null, model.MaxBatchSize > 0 ? model.MaxBatchSize : null,
        NullIfEmpty(model.Source), NullIfEmpty(model.License), NullIfEmpty(model.Reason));

    private static string? NullIfEmpty(string value) => value.Length > 0 ? value : null;
}

/// <summary>Every model, the dense model new collections get, and what <c>rerank: "auto"</c> runs.</summary>
public sealed record ModelList(IReadOnlyList<ModelView> Models, string? DenseModel, string AutoRerank);

/// <summary>One model: which service runs it and for what, whether it is ready (or why not), and its settings.</summary>
public sealed record ModelView(
    string Name,
    string Service,
    string Role,
    string Status,
    string? Family,
    int? Dimension,
    int? MaxTokens,
    string? Precision,
    string? Pooling,
    bool? Normalized,
    string? ExecutionProvider,
    int? MaxBatchTokens,
    int? MaxBatchSize,
    string? Source,
    string? License,
    string? Reason);
