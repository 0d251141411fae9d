using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;
using RagSuite.Gateway.Auth;

namespace RagSuite.Gateway.Api;

/// <summary><c>/v1/collections</c>: create, list, read and delete collections.</summary>
public static class CollectionsApi
{
    public static IEndpointRouteBuilder MapCollectionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/collections").WithTags("Collections");
        group.MapPost("", CreateAsync).WithName("CreateCollection").WithSummary("Create a collection")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).RequireRole(ApiRole.Admin);
        group.MapGet("", ListAsync).WithName("ListCollections").WithSummary("List collections");
        group.MapGet("/{name}", GetAsync).WithName("GetCollection").WithSummary("Read a collection and its counts")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteCollection").WithSummary("Delete a collection and everything in it")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireRole(ApiRole.Admin);
        return app;
    }

    private static async Task<Created<CollectionView>> CreateAsync(CreateCollectionBody body, IRetriever retriever, IEmbedder embedder,
        IOptions<GatewayOptions> options, HttpContext context, CancellationToken cancellationToken)
    {
        ApiAccess.Demand(context, body.Name);
        var info = await embedder.GetInfoAsync(cancellationToken);
        var request = CollectionRequests.ToCreateRequest(body, options.Value, info);
        var collection = await retriever.CreateCollectionAsync(request, cancellationToken);
        return TypedResults.Created($"/v1/collections/{collection.Name}", CollectionRequests.View(collection));
    }

    /// <summary>The collections the request's key may use (all of them when the API is open).</summary>
    private static async Task<Ok<CollectionList>> ListAsync(IRetriever retriever, HttpContext context, CancellationToken cancellationToken)
    {
        var list = await retriever.ListCollectionsAsync(new ListCollectionsRequest(), cancellationToken);
        return TypedResults.Ok(new CollectionList([.. list.Collections.Where(c => ApiAccess.Sees(context, c.Name)).Select(CollectionRequests.View)]));
    }

    private static async Task<Ok<CollectionView>> GetAsync(string name, IRetriever retriever, CancellationToken cancellationToken) =>
        TypedResults.Ok(CollectionRequests.View(await retriever.GetCollectionAsync(new GetCollectionRequest { Name = name }, cancellationToken)));

    private static async Task<NoContent> DeleteAsync(string name, IRetriever retriever, CancellationToken cancellationToken)
    {
        await retriever.DeleteCollectionAsync(new DeleteCollectionRequest { Name = name }, cancellationToken);
        return TypedResults.NoContent();
    }
}
