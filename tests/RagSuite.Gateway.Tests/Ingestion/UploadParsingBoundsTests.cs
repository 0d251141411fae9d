using System.Diagnostics;
using System.Text;
using RagSuite.Core.Errors;
using RagSuite.Gateway.Ingestion;

namespace RagSuite.Gateway.Tests.Ingestion;

/// <summary>Parsing an upload is bounded in depth and time, and stops when the request is cancelled.</summary>
public sealed class UploadParsingBoundsTests
{
    public static TheoryData<string, string, bool> Nesting => new()
    {
        { "a flat page", "<html><body>" + string.Concat(Enumerable.Repeat("<p>para<br>text</p>", 50_000)) + "</body></html>", true },
        { "unclosed paragraphs and items", string.Concat(Enumerable.Repeat("<p>one<li>two<td>three", 50_000)), true },
        { "void and self-closing elements", string.Concat(Enumerable.Repeat("<img src=x><input/><span/>", 10_000)), true },
        { "tags inside comments and scripts", "<!--" + string.Concat(Enumerable.Repeat("<div>", 10_000)) + "--><script>" + string.Concat(Enumerable.Repeat("<div>", 10_000)) + "</script>", true },
        { "a '<' in text", string.Concat(Enumerable.Repeat("1 < 2 and <3 ", 10_000)), true },
        { "closed nesting just within", string.Concat(Enumerable.Repeat("<div>", 256)) + string.Concat(Enumerable.Repeat("</div>", 256)), true },
        { "nesting one beyond", string.Concat(Enumerable.Repeat("<div>", 257)), false },
        { "200,000 nested divs", string.Concat(Enumerable.Repeat("<div>", 200_000)), false },
        { "nested lists", string.Concat(Enumerable.Repeat("<ul><li>", 200)), false },
        { "unclosed formatting", string.Concat(Enumerable.Repeat("<b>", 1_000)), false },
    };

    [Theory]
    [MemberData(nameof(Nesting))]
    public void Html_nesting_is_measured_in_one_pass(string name, string html, bool within)
    {
        Assert.True(within == HtmlNesting.IsWithin(html, HtmlText.MaxNestingDepth), name);
    }

    [Fact]
    public void Deeply_nested_html_is_refused_quickly_naming_the_limit()
    {
        var html = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<div>", 440_000))); // 2.2 MB
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<RagSuiteException>(() => FileTextExtractor.Extract("deep.html", html));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains("256", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(128, "> ")]
    [InlineData(64, "- ")]
    public void Deeply_nested_markdown_is_refused_naming_the_limit(int levels, string marker)
    {
        var markdown = marker == "> " ? new string('>', levels) + " deep\n"
            : string.Concat(Enumerable.Range(0, levels).Select(i => new string(' ', 2 * i) + "- item\n"));

        var error = Assert.Throws<RagSuiteException>(() => FileTextExtractor.Extract("deep.md", Encoding.UTF8.GetBytes(markdown)));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains("128", error.Message);
    }

    [Fact]
    public void Markdown_nested_within_the_limit_is_read()
    {
        var (text, _) = FileTextExtractor.Extract("ok.md", Encoding.UTF8.GetBytes(new string('>', 40) + " still here\n"));

        Assert.Equal("still here", text);
    }

    [Theory]
    [InlineData("page.html", "<p>text</p>")]
    [InlineData("notes.md", "# Title\n\ntext\n")]
    public void Extraction_stops_when_the_request_is_cancelled(string file, string content)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => FileTextExtractor.Extract(file, Encoding.UTF8.GetBytes(content), cancelled.Token));
    }
}
