using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Gateway.Auth;
using RagSuite.Gateway.Ingestion;
using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Api;

/// <summary>
/// <c>/v1/collections/{name}/documents</c>: ingest documents as JSON or as uploaded files
/// (multipart, .txt/.md/.html), read what is stored for one, delete one.
/// </summary>
public static class DocumentsApi
{
    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/collections/{name}/documents").WithTags("Documents");
        group.MapPost("", IngestAsync).WithName("IngestDocuments")
            .WithSummary("Chunk, embed and store documents; unchanged documents are skipped")
            .Accepts<DocumentsBody>("application/json", "multipart/form-data")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Uploads are files, not DocumentsBody: describe them as such.
                if (operation.RequestBody?.Content?.TryGetValue("multipart/form-data", out var form) == true)
                {
                    form.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["files"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                        },
                    };
                }
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .DisableAntiforgery().RequireRole(ApiRole.Write);
        // Catch-all: document ids may hold '/' (uploads keep their relative paths).
        group.MapGet("/{**id}", GetAsync).WithName("GetDocument").WithSummary("What is stored for a document")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{**id}", DeleteAsync).WithName("DeleteDocument").WithSummary("Delete a document and its chunks")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireRole(ApiRole.Write);
        return app;
    }

    private static async Task<Ok<IngestResponse>> IngestAsync(string name, HttpRequest request, IngestionPipeline pipeline,
        IOptions<GatewayOptions> options, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        List<SourceDocument> documents;
        if (request.HasJsonContentType())
        {
            var body = await request.ReadFromJsonAsync<DocumentsBody>(json.Value.SerializerOptions, cancellationToken)
                ?? throw new RagSuiteException(ErrorKind.BadRequest, "The request body is empty or null; send {\"documents\": [...]}.");
            documents = DocumentRequests.ToSources(body, options.Value);
        }
        else if (request.HasFormContentType)
        {
            documents = await FileUploads.ReadAsync(request, options.Value, cancellationToken);
        }
        else
        {
            throw new RagSuiteException(ErrorKind.UnsupportedMediaType,
                $"Send documents as application/json or as multipart/form-data file uploads, not '{request.ContentType ?? "no content type"}'.");
        }

        var outcome = await pipeline.IngestAsync(name, documents, cancellationToken);
        var results = outcome.Documents.Select(d => new DocumentResultView(d.Id, d.Status.ToString().ToLowerInvariant(), d.Chunks)).ToList();
        return TypedResults.Ok(new IngestResponse(outcome.Collection,
            outcome.Documents.Count(d => d.Status == DocumentStatus.Created),
            outcome.Documents.Count(d => d.Status == DocumentStatus.Updated),
            outcome.Documents.Count(d => d.Status == DocumentStatus.Unchanged),
            outcome.Documents.Where(d => d.Status != DocumentStatus.Unchanged).Sum(d => d.Chunks),
            results,
            outcome.Warnings.Count > 0 ? outcome.Warnings : null));
    }

    private static async Task<Ok<DocumentView>> GetAsync(string name, string id, IRetriever retriever, CancellationToken cancellationToken)
    {
        id = DocumentIdFromPath(id);
        var found = await retriever.GetDocumentsAsync(new GetDocumentsRequest { Collection = name, DocumentIds = { id } }, cancellationToken);
        var document = found.Documents.FirstOrDefault()
            ?? throw RagSuiteException.NotFound($"Document '{id}' is not in collection '{name}'.");
        return TypedResults.Ok(new DocumentView(document.DocumentId, document.ContentHash, document.ChunkCount));
    }

    private static async Task<NoContent> DeleteAsync(string name, string id, IRetriever retriever, CancellationToken cancellationToken)
    {
        await retriever.DeleteDocumentAsync(new DeleteDocumentRequest { Collection = name, DocumentId = DocumentIdFromPath(id) }, cancellationToken);
        return TypedResults.NoContent();
    }

    // Routing decodes every escape in a catch-all value except %2F; clients that escape '/' send that one.
    private static string DocumentIdFromPath(string id) => id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
