using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Gateway.Auth;

namespace RagSuite.Gateway.Api;

/// <summary>
/// <c>GET /v1/models</c>: the models behind the embedder and the reranker, loaded or not and why, and what AUTO reranking
/// runs; beside them, as OpenAI's model list (<c>object</c>, <c>data</c>), one <c>rag:&lt;collection&gt;</c> model per
/// collection for <c>/v1/chat/completions</c>. <c>GET /v1/models/{model}</c> reads one of those.
/// </summary>
public static class ModelsApi
{
    public const string Path = "/v1/models";
    public const string Owner = "ragsuite";

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ListAsync).WithTags("Models").WithName("ListModels")
            .WithSummary("List the embedding and reranking models, their status and settings, and one rag:<collection> chat model per collection");
        app.MapGet(Path + "/{model}", GetAsync).WithTags("Models").WithName("GetModel")
            .WithSummary("Read the rag:<collection> chat model of one collection, as OpenAI's model object")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<ModelList>> ListAsync(IEmbedder embedder, IReranker reranker, IGenerator generator, IRetriever retriever,
        HttpContext context, CancellationToken cancellationToken)
    {
        var embedderInfo = await embedder.GetInfoAsync(cancellationToken);
        var rerankerInfo = await reranker.GetInfoAsync(cancellationToken);
        var generatorInfo = await generator.GetInfoAsync(cancellationToken);
        var collections = await retriever.ListCollectionsAsync(new ListCollectionsRequest(), cancellationToken);
        var models = embedderInfo.Models.Select(m => View(m, "embedder")).Concat(rerankerInfo.Models.Select(m => View(m, "reranker")))
            .Concat(generatorInfo.Upstreams.Select(Upstream)).ToList();
        return TypedResults.Ok(new ModelList(models, embedderInfo.DenseModel is { Length: > 0 } dense ? dense : null,
            QueryRequests.RerankName(rerankerInfo.AutoMode), "list", [.. collections.Collections.Where(c => ApiAccess.Sees(context, c.Name)).Select(ChatModel)]));
    }

    private static async Task<Ok<ChatModelView>> GetAsync(string model, IRetriever retriever, HttpContext context, CancellationToken cancellationToken)
    {
        // A name that cannot be a collection's is as unknown as a collection that is gone: 404 either way, as OpenAI answers.
        if (!RagModelName.TryParse(model, out var name, out var problem)) throw UnknownModel(problem);
        ApiAccess.Demand(context, name.Collection);
        try
        {
            var collection = await retriever.GetCollectionAsync(new GetCollectionRequest { Name = name.Collection }, cancellationToken);
            return TypedResults.Ok(ChatModel(collection) with { Id = model }); // a hint, if any, is kept as asked
        }
        catch (RagSuiteException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw UnknownModel($"'{model}' names collection '{name.Collection}', which does not exist");
        }
    }

    private static RagSuiteException UnknownModel(string reason) =>
        new(ErrorKind.NotFound, $"model: {reason}", new Dictionary<string, string[]> { ["model"] = [reason] });

    private static ChatModelView ChatModel(Collection collection) =>
        new(RagModelName.Of(collection.Name), "model", collection.CreatedAt?.Seconds ?? 0, Owner);

    private static ModelView View(ModelInfo model, string service) => new(
        model.Name, service, model.Role, model.Status,
        NullIfEmpty(model.Family), model.Dimension > 0 ? model.Dimension : null, model.MaxTokens > 0 ? model.MaxTokens : null,
        NullIfEmpty(model.Precision), NullIfEmpty(model.Pooling), model.Status == "ready" && model.Dimension > 0 ? model.Normalized : null,
        NullIfEmpty(model.ExecutionProvider), model.MaxBatchTokens > 0 ? model.MaxBatchTokens : null, model.MaxBatchSize > 0 ? model.MaxBatchSize : null,
        NullIfEmpty(model.Source), NullIfEmpty(model.License), NullIfEmpty(model.Reason));

    /// <summary>An LLM upstream of the generator: ready while its circuit lets calls through.</summary>
    private static ModelView Upstream(UpstreamInfo upstream) => new(
        upstream.Name, "generator", "llm", upstream.Circuit == "open" ? "unavailable" : "ready",
        null, null, upstream.ContextWindow, null, null, null, null, null, null,
        upstream.Model, null, upstream.Circuit == "open" ? "its circuit is open after repeated failures; calls resume after a trial succeeds" : null);

    private static string? NullIfEmpty(string value) => value.Length > 0 ? value : null;
}

/// <summary>
/// Every model, the dense model new collections get, and what <c>rerank: "auto"</c> runs; <c>object</c> and <c>data</c>
/// make the same body OpenAI's model list, of the <c>rag:&lt;collection&gt;</c> models chat completions answer from.
/// </summary>
public sealed record ModelList(IReadOnlyList<ModelView> Models, string? DenseModel, string AutoRerank,
    [property: JsonPropertyName("object")] string ObjectType,
    IReadOnlyList<ChatModelView> Data);

/// <summary>OpenAI's model object for a collection: <c>id</c> <c>rag:&lt;collection&gt;</c>, <c>created</c> when the collection was (Unix seconds).</summary>
public sealed record ChatModelView(string Id, [property: JsonPropertyName("object")] string ObjectType, long Created, string OwnedBy);

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
