using System.Collections.Frozen;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Ingestion;

/// <summary>
/// HTML as plain text for chunking: all visible text of the body, with every block element (and each
/// line of a <c>pre</c>) a paragraph of its own, so sentence splitting never joins a heading or a cell
/// to the text around it. Scripts, styles and the head are left out; the page title is the title.
/// </summary>
public static class HtmlText
{
    private const char Break = '\u2029';

    private static readonly FrozenSet<string> Hidden = new[] { "script", "style", "noscript", "template", "head", "svg" }.ToFrozenSet();

    private static readonly FrozenSet<string> Blocks = new[]
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
    }.ToFrozenSet();

    /// <summary>
    /// How deeply elements may nest. Real pages stay well under a hundred; the bound keeps parsing linear
    /// in the upload's size (see <see cref="HtmlNesting"/>) and this class's recursion shallow.
    /// </summary>
    public const int MaxNestingDepth = 256;

    public static (string Text, string? Title) Extract(string html, CancellationToken cancellationToken = default)
    {
        if (!HtmlNesting.IsWithin(html, MaxNestingDepth, cancellationToken)) throw TooDeep();
        cancellationToken.ThrowIfCancellationRequested();
        var document = new HtmlParser().ParseDocument(html);
        var title = Collapse(document.Title ?? "");
        var text = new StringBuilder();
        if (document.Body is { } body) Walk(body, text, 0, cancellationToken);
        var paragraphs = text.ToString().Split(Break).Select(Collapse).Where(p => p.Length > 0);
        return (string.Join("\n\n", paragraphs), title.Length > 0 ? title : null);
    }

    private static RagSuiteException TooDeep() =>
        new(ErrorKind.Validation, $"The HTML nests elements deeper than {MaxNestingDepth} levels; flatten it.",
            new Dictionary<string, string[]> { ["html"] = [$"nests elements deeper than {MaxNestingDepth} levels"] });

    private static void Walk(INode node, StringBuilder text, int depth, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The parser may build a little deeper than the scan estimated (foster parenting, implied elements).
        if (depth > 2 * MaxNestingDepth) throw TooDeep();
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText leaf:
                    text.Append(leaf.Data);
                    break;
                case IElement element when Hidden.Contains(element.LocalName):
                    break;
                case IElement { LocalName: "pre" } pre:
                    text.Append(Break).Append(pre.TextContent.Replace('\n', Break)).Append(Break);
                    break;
                case IElement element when Blocks.Contains(element.LocalName):
                    text.Append(Break);
                    Walk(element, text, depth + 1, cancellationToken);
                    text.Append(Break);
                    break;
                case IElement element:
                    Walk(element, text, depth + 1, cancellationToken);
                    break;
            }
        }
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
