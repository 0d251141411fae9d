using System.Text;
using Markdig;
using RagSuite.Core.Errors;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace RagSuite.Gateway.Ingestion;

/// <summary>
/// Markdown as plain text for chunking: every block (heading, paragraph, list item, table row, code
/// line) becomes its own paragraph, so sentence splitting never runs a heading, a list or a code
/// block into the prose around it. Link targets and markup are dropped; the first level-1 heading
/// is the title.
/// </summary>
public static class MarkdownText
{
    /// <summary>
    /// How deeply blocks may nest (a quote or a list level costs one or two). Markdig refuses deeper input
    /// itself; saying so here keeps the limit named in the refusal and bounds this class's own recursion.
    /// </summary>
    public const int MaxNestingDepth = 128;

    private static readonly MarkdownPipeline Pipeline =
        new MarkdownPipelineBuilder { MaximumNestingDepth = MaxNestingDepth }.UseAdvancedExtensions().Build();

    public static (string Text, string? Title) Extract(string markdown, CancellationToken cancellationToken = default)
    {
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException e) when (e.Message.Contains("nested", StringComparison.Ordinal))
        {
            throw TooDeep();
        }
        var text = new StringBuilder();
        string? title = null;
        foreach (var block in document)
        {
            Write(block, text, ref title, 0, cancellationToken);
        }
        return (text.ToString().Trim(), title);
    }

    private static RagSuiteException TooDeep() =>
        new(ErrorKind.Validation, $"The Markdown is nested deeper than {MaxNestingDepth} levels (quotes, lists); flatten it.",
            new Dictionary<string, string[]> { ["markdown"] = [$"is nested deeper than {MaxNestingDepth} levels"] });

    private static void Write(Block block, StringBuilder text, ref string? title, int depth, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (depth > MaxNestingDepth) throw TooDeep();
        switch (block)
        {
            case HeadingBlock heading:
                var headingText = Inline(heading.Inline);
                if (heading.Level == 1 && title is null && headingText.Length > 0) title = headingText;
                Paragraph(text, headingText);
                break;
            case HtmlBlock html:
                foreach (var paragraph in HtmlText.Extract(html.Lines.ToString(), cancellationToken).Text.Split("\n\n"))
                {
                    Paragraph(text, paragraph);
                }
                break;
            case CodeBlock code:
                foreach (var line in code.Lines.Lines.Take(code.Lines.Count))
                {
                    Paragraph(text, line.Slice.ToString().Trim());
                }
                break;
            case Table table:
                foreach (var row in table.OfType<TableRow>())
                {
                    Paragraph(text, string.Join(" | ", row.OfType<TableCell>().Select(CellText)));
                }
                break;
            case LeafBlock leaf when leaf.Inline is not null:
                Paragraph(text, Inline(leaf.Inline));
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    Write(child, text, ref title, depth + 1, cancellationToken);
                }
                break;
        }
    }

    private static string CellText(TableCell cell) =>
        string.Join(' ', cell.OfType<LeafBlock>().Select(leaf => Inline(leaf.Inline)));

    private static void Paragraph(StringBuilder text, string paragraph)
    {
        if (paragraph.Length > 0) text.Append(paragraph).Append("\n\n");
    }

    private static string Inline(ContainerInline? inline)
    {
        if (inline is null) return "";
        var text = new StringBuilder();
        foreach (var item in inline)
        {
            Append(item, text);
        }
        return text.ToString().Trim();
    }

    private static void Append(Markdig.Syntax.Inlines.Inline inline, StringBuilder text)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content);
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case LineBreakInline lineBreak:
                text.Append(lineBreak.IsHard ? '\n' : ' ');
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(child, text);
                }
                break;
        }
    }
}
