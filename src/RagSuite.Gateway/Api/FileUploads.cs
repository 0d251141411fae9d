using Google.Protobuf.WellKnownTypes;
using RagSuite.Core.Errors;
using RagSuite.Gateway.Ingestion;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Reads multipart file uploads as documents: the file name (with any relative path the client sent,
/// so two <c>README.md</c> in different folders stay two documents) is the document id and the source,
/// the text comes from <see cref="FileTextExtractor"/>, and the metadata records the file name and type.
/// </summary>
public static class FileUploads
{
    private static readonly string[] UnsupportedExtension = ["has an unsupported extension"];

    public static async Task<List<SourceDocument>> ReadAsync(HttpRequest request, GatewayOptions options, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var errors = new ValidationErrors();
        errors.AddIf(form.Files.Count == 0, "files", "no file was uploaded; send one or more .txt, .md or .html files");
        errors.AddIf(form.Files.Count > options.MaxDocumentsPerRequest, "files",
            $"{form.Files.Count} files were uploaded; the limit is {options.MaxDocumentsPerRequest} per request");
        errors.ThrowIfAny();

        var unsupported = form.Files.Where(f => !FileTextExtractor.IsSupported(f.FileName)).Select(f => f.FileName).ToList();
        if (unsupported.Count > 0)
        {
            throw new RagSuiteException(ErrorKind.UnsupportedMediaType,
                $"Unsupported file type: {string.Join(", ", unsupported.Select(f => $"'{f}'"))}. Supported: {string.Join(", ", FileTextExtractor.SupportedExtensions)}.",
                unsupported.ToDictionary(f => f, _ => UnsupportedExtension));
        }

        var documents = new List<SourceDocument>(form.Files.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in form.Files)
        {
            var id = DocumentId(file.FileName);
            DocumentRequests.CheckId(id, $"files[{file.FileName}]", errors);
            errors.AddIf(!seen.Add(id), $"files[{file.FileName}]", "was uploaded twice");
            using var content = new MemoryStream();
            await file.CopyToAsync(content, cancellationToken);
            var (text, title) = FileTextExtractor.Extract(id, content.ToArray());
            errors.AddIf(string.IsNullOrWhiteSpace(text), $"files[{file.FileName}]", "has no text");
            if (text.Length > options.MaxDocumentChars)
            {
                throw new RagSuiteException(ErrorKind.PayloadTooLarge,
                    $"File '{id}' has {text.Length} characters of text; the limit is {options.MaxDocumentChars}.");
            }
            var metadata = new Struct { Fields = { ["filename"] = Value.ForString(id) } };
            if (!string.IsNullOrEmpty(file.ContentType)) metadata.Fields["content_type"] = Value.ForString(file.ContentType);
            documents.Add(new SourceDocument(id, text, title, id, metadata));
        }
        errors.ThrowIfAny();
        return documents;
    }

    private static string DocumentId(string fileName) =>
        string.Join('/', fileName.Replace('\\', '/').Split('/').Where(part => part is not ("" or "." or "..")));
}
