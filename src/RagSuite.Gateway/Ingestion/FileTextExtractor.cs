using System.Text;
using AngleSharp.Html.Parser;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Ingestion;

/// <summary>
/// Reads uploaded files as text: plain text as is, Markdown rendered to plain text (headings and
/// list items kept as their own lines), HTML as the visible text of its body with the page title.
/// Files must be UTF-8 (a BOM is allowed).
/// </summary>
public static class FileTextExtractor
{
    public static readonly IReadOnlyList<string> SupportedExtensions = [".txt", ".text", ".md", ".markdown", ".html", ".htm"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static bool IsSupported(string fileName) =>
        SupportedExtensions.Contains(Path.GetExtension(fileName).ToLowerInvariant());

    /// <summary>The text and, where the format has one, the title of <paramref name="fileName"/>.</summary>
    public static (string Text, string? Title) Extract(string fileName, byte[] content)
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
            ".md" or ".markdown" => FromMarkdown(raw),
            ".html" or ".htm" => FromHtml(raw),
            _ => (raw, null),
        };
    }

    private static (string, string?) FromMarkdown(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Markdown);
        var heading = document.Descendants<HeadingBlock>().FirstOrDefault(h => h.Level == 1);
        var title = heading?.Inline is { } inline ? string.Concat(inline.Descendants<LiteralInline>().Select(l => l.Content.ToString())) : null;
        var text = Markdig.Markdown.ToPlainText(markdown, Markdown);
        return (text.Trim(), string.IsNullOrWhiteSpace(title) ? null : title.Trim());
    }

    private static (string, string?) FromHtml(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var title = Collapse(document.Title ?? "");
        foreach (var hidden in document.QuerySelectorAll("script, style, noscript, template, head"))
        {
            hidden.Remove();
        }
        var blocks = document.Body?.QuerySelectorAll("p, h1, h2, h3, h4, h5, h6, li, td, th, pre, blockquote, dt, dd");
        var builder = new StringBuilder();
        foreach (var element in blocks ?? Enumerable.Empty<AngleSharp.Dom.IElement>())
        {
            // Nested blocks (a <p> inside an <li>) are written once, by the innermost element.
            if (element.QuerySelector("p, li, td, th, pre, blockquote, dt, dd") is not null) continue;
            var text = Collapse(element.TextContent);
            if (text.Length > 0) builder.Append(text).Append("\n\n");
        }
        var body = builder.Length > 0 ? builder.ToString() : Collapse(document.Body?.TextContent ?? "");
        return (body.Trim(), title.Length > 0 ? title : null);
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
