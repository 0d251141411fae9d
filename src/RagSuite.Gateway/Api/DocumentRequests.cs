using RagSuite.Core.Errors;
using RagSuite.Gateway.Ingestion;

namespace RagSuite.Gateway.Api;

/// <summary>Checks documents sent as JSON and turns them into <see cref="SourceDocument"/>s.</summary>
public static class DocumentRequests
{
    public const int MaxIdLength = 256;
    public const int MaxTitleLength = 1024;

    public static List<SourceDocument> ToSources(DocumentsBody body, GatewayOptions options)
    {
        var errors = new ValidationErrors();
        var documents = body.Documents;
        if (documents is null || documents.Count == 0)
        {
            errors.Add("documents", "must hold at least one document");
            errors.ThrowIfAny();
        }
        errors.AddIf(documents!.Count > options.MaxDocumentsPerRequest, "documents",
            $"holds {documents.Count} documents; the limit is {options.MaxDocumentsPerRequest} per request");
        errors.ThrowIfAny();

        var sources = new List<SourceDocument>(documents.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            var field = $"documents[{i}]";
            if (documents[i] is not { } document)
            {
                errors.Add(field, "is null");
                continue;
            }
            CheckId(document.Id, $"{field}.id", errors);
            errors.AddIf(document.Id is not null && !seen.Add(document.Id), $"{field}.id", $"'{document.Id}' appears twice in this request");
            if (document.Text is null) errors.Add($"{field}.text", "is required");
            else errors.AddIf(string.IsNullOrWhiteSpace(document.Text) && string.IsNullOrWhiteSpace(document.Title), $"{field}.text",
                "is empty, and there is no title either");
            errors.AddIf(document.Title is { Length: > MaxTitleLength }, $"{field}.title", $"is longer than {MaxTitleLength} characters");
            var metadata = MetadataJson.ToStruct(document.Metadata, $"{field}.metadata", errors);
            if (document.Text is { } text && text.Length > options.MaxDocumentChars)
            {
                throw new RagSuiteException(ErrorKind.PayloadTooLarge,
                    $"{field}.text is {text.Length} characters; the limit is {options.MaxDocumentChars}. Split the document.",
                    new Dictionary<string, string[]> { [$"{field}.text"] = [$"is longer than {options.MaxDocumentChars} characters"] });
            }
            sources.Add(new SourceDocument(document.Id ?? "", document.Text ?? "", NullIfBlank(document.Title), NullIfBlank(document.Source), metadata));
        }
        errors.ThrowIfAny();
        return sources;
    }

    public static void CheckId(string? id, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(id)) errors.Add(field, id is null ? "is required" : "is empty");
        else if (id.Length > MaxIdLength) errors.Add(field, $"is longer than {MaxIdLength} characters");
        else if (id.Any(char.IsControl)) errors.Add(field, "contains control characters");
        else errors.AddIf(!DocumentIds.RoundTripsInUrl(id), field, DocumentIds.Rule);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
