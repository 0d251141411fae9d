using System.Collections.Frozen;

namespace RagSuite.Gateway.Ingestion;

/// <summary>
/// How deeply an HTML document's elements nest, measured in one linear pass over the markup before any
/// parser sees it. A full HTML parser looks through its stack of open elements for nearly every tag, so
/// its cost grows with depth times length: 200,000 nested <c>div</c>s kept a core busy for minutes. This
/// scan is a cheap estimate of the tree the parser would build (void elements open nothing; an element
/// whose end tag may be left out ends the open elements of that kind, as the parser would). Only elements
/// that must be closed can nest, so those are what the scan counts on.
/// </summary>
public static class HtmlNesting
{
    private static readonly FrozenSet<string> Void = new[]
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    }.ToFrozenSet();

    private static readonly FrozenSet<string> ImpliedEnd = new[]
    {
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rp", "colgroup", "caption",
    }.ToFrozenSet();

    private static readonly FrozenSet<string> RawText = new[] { "script", "style", "textarea", "title", "xmp", "noembed", "noframes" }.ToFrozenSet();

    /// <summary>True when no element nests deeper than <paramref name="limit"/>; stops as soon as one does.</summary>
    public static bool IsWithin(string html, int limit, CancellationToken cancellationToken = default)
    {
        var open = new List<string>();
        var i = 0;
        var tags = 0;
        while ((i = html.IndexOf('<', i)) >= 0)
        {
            if (++tags % 4096 == 0) cancellationToken.ThrowIfCancellationRequested();
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                i = Skip(html, html.IndexOf("-->", i + 4, StringComparison.Ordinal), 3);
                continue;
            }
            var closing = i + 1 < html.Length && html[i + 1] == '/';
            var start = closing ? i + 2 : i + 1;
            var end = start;
            while (end < html.Length && char.IsAsciiLetterOrDigit(html[end])) end++;
            var tagEnd = html.IndexOf('>', end);
            if (end == start || !char.IsAsciiLetter(html[start]))
            {
                i = start; // '<' as text, or <!doctype> and <?...>: opens nothing
                continue;
            }
            var name = html[start..end].ToLowerInvariant();
            i = Skip(html, tagEnd, 1);
            if (closing)
            {
                var at = open.LastIndexOf(name);
                if (at >= 0) open.RemoveRange(at, open.Count - at);
                continue;
            }
            if (Void.Contains(name) || (tagEnd > 0 && html[tagEnd - 1] == '/')) continue;
            if (RawText.Contains(name))
            {
                i = Skip(html, html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase), 0);
                continue;
            }
            if (ImpliedEnd.Contains(name))
            {
                // A p, li, td... start tag ends the open ones of its kind, as the parser does: <p>a<li>b<p>c is flat.
                while (open.Count > 0 && ImpliedEnd.Contains(open[^1])) open.RemoveAt(open.Count - 1);
            }
            open.Add(name);
            if (open.Count > limit) return false;
        }
        return true;
    }

    private static int Skip(string html, int found, int length) => found < 0 ? html.Length : found + length;
}
