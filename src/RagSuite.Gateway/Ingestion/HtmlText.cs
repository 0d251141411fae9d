using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace RagSuite.Gateway.Ingestion;

/// <summary>
/// HTML as plain text for chunking: the visible text of each block element as its own paragraph
/// (each line of a <c>pre</c> block too), scripts, styles and the head left out; the page title is the title.
/// </summary>
public static class HtmlText
{
    private const string Blocks = "p, h1, h2, h3, h4, h5, h6, li, td, th, pre, blockquote, dt, dd, figcaption";

    public static (string Text, string? Title) Extract(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var title = Collapse(document.Title ?? "");
        foreach (var hidden in document.QuerySelectorAll("script, style, noscript, template, head"))
        {
            hidden.Remove();
        }

        var text = new StringBuilder();
        foreach (var element in document.Body?.QuerySelectorAll(Blocks) ?? Enumerable.Empty<IElement>())
        {
            // Nested blocks (a <p> inside an <li>) are written once, by the innermost element.
            if (element.QuerySelector(Blocks) is not null) continue;
            var lines = element.LocalName == "pre" ? element.TextContent.Split('\n') : [element.TextContent];
            foreach (var line in lines.Select(Collapse).Where(l => l.Length > 0))
            {
                text.Append(line).Append("\n\n");
            }
        }
        var body = text.Length > 0 ? text.ToString() : Collapse(document.Body?.TextContent ?? "");
        return (body.Trim(), title.Length > 0 ? title : null);
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
