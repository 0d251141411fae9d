using System.Text;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Ingestion;

/// <summary>
/// Reads uploaded files as text: plain text as is, Markdown through <see cref="MarkdownText"/>, HTML
/// through <see cref="HtmlText"/>. Files must be UTF-8 (a BOM is allowed).
/// </summary>
public static class FileTextExtractor
{
    public static readonly IReadOnlyList<string> SupportedExtensions = [".txt", ".text", ".md", ".markdown", ".html", ".htm"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsSupported(string fileName) =>
        SupportedExtensions.Contains(Path.GetExtension(fileName).ToLowerInvariant());

    /// <summary>The text and, where the format has one, the title of <paramref name="fileName"/>.</summary>
    public static (string Text, string? Title) Extract(string fileName, byte[] content, CancellationToken cancellationToken = default)
    {
        string raw;
        try
        {
            var bom = content.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
            raw = StrictUtf8.GetString(content, bom, content.Length - bom);
        }
        catch (DecoderFallbackException e)
        {
            throw new RagSuiteException(ErrorKind.Validation, $"File '{fileName}' is not valid UTF-8 (bad byte at offset {e.Index}).",
                new Dictionary<string, string[]> { [fileName] = ["is not valid UTF-8 text"] });
        }
        return Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".md" or ".markdown" => MarkdownText.Extract(raw, cancellationToken),
            ".html" or ".htm" => HtmlText.Extract(raw, cancellationToken),
            _ => (raw, null),
        };
    }
}
