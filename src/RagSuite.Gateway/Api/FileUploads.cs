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
        var form = await ReadFormAsync(request, cancellationToken);
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
            var (text, title) = FileTextExtractor.Extract(id, content.ToArray(), cancellationToken);
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

    /// <summary>
    /// The form, or a 400 when its framing is broken: a missing or wrong closing boundary surfaces as a bare
    /// IOException ("Unexpected end of Stream") that would otherwise be a 500. A client that went away is not
    /// a bad request, so cancellation passes through.
    /// </summary>
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested && e is not BadHttpRequestException)
        {
            throw new RagSuiteException(ErrorKind.BadRequest,
                $"The multipart body could not be read: {e.Message.Split(',')[0]}. Check that it ends with the closing boundary given in Content-Type.",
                new Dictionary<string, string[]> { ["multipart"] = ["is truncated or its closing boundary is missing or wrong"] });
        }
    }

    private static string DocumentId(string fileName) =>
        string.Join('/', fileName.Replace('\\', '/').Split('/').Where(part => part is not ("" or "." or "..")));
}
