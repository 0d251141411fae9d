using System.Text;
using RagSuite.Core.Errors;
using RagSuite.Gateway.Ingestion;

namespace RagSuite.Gateway.Tests.Ingestion;

public sealed class FileTextExtractorTests
{
    [Fact]
    public void Markdown_becomes_plain_text_with_its_first_heading_as_title()
    {
        var (text, title) = FileTextExtractor.Extract("guide.md", "# Setting *up*\n\nRun `make`. See [docs](http://x).\n\n- one\n- two\n"u8.ToArray());

        Assert.Equal("Setting up", title);
        Assert.Contains("Run make. See docs.", text);
        Assert.DoesNotContain("http://x", text);
        Assert.DoesNotContain("`", text);
    }

    [Fact]
    public void Html_inside_markdown_keeps_its_text()
    {
        var (text, _) = FileTextExtractor.Extract("mixed.md", "Intro.\n\n<div align=\"center\"><b>Raw HTML</b> block</div>\n\nOutro."u8.ToArray());

        Assert.Equal(["Intro.", "Raw HTML block", "Outro."], text.Split("\n\n"));
    }

    [Fact]
    public void Html_becomes_its_visible_blocks_with_the_page_title()
    {
        const string html = "<html><head><title> Wing  Design </title><style>p{}</style></head>" +
                            "<body><nav><ul><li><p>Home</p></li></ul></nav><script>var x = 1;</script>" +
                            "<h1>Wings</h1><p>Lift comes from <b>pressure</b>.</p><table><tr><td>Cell</td></tr></table></body></html>";

        var (text, title) = FileTextExtractor.Extract("page.html", Encoding.UTF8.GetBytes(html));

        Assert.Equal("Wing Design", title);
        Assert.Equal("Home\n\nWings\n\nLift comes from pressure.\n\nCell", text);
    }

    [Fact]
    public void Html_text_outside_paragraph_tags_is_kept_and_pre_lines_stay_lines()
    {
        const string html = "<body><div>Loose text in a div<span> with a span</span></div><section>Section text" +
                            "<p>Inner paragraph</p>tail</section><pre>line one\nline two</pre>Trailing<br>after break</body>";

        var (text, _) = FileTextExtractor.Extract("page.htm", Encoding.UTF8.GetBytes(html));

        Assert.Equal(
            ["Loose text in a div with a span", "Section text", "Inner paragraph", "tail", "line one", "line two", "Trailing", "after break"],
            text.Split("\n\n"));
    }

    [Fact]
    public void Plain_text_keeps_its_bytes_and_drops_a_BOM()
    {
        var (text, title) = FileTextExtractor.Extract("a.txt", [0xEF, 0xBB, 0xBF, .. "héllo\nworld"u8]);

        Assert.Equal("héllo\nworld", text);
        Assert.Null(title);
    }

    [Fact]
    public void Invalid_UTF8_is_a_validation_error_naming_the_file()
    {
        var error = Assert.Throws<RagSuiteException>(() => FileTextExtractor.Extract("latin1.txt", [0x63, 0x61, 0x66, 0xE9]));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains("latin1.txt", error.Message);
    }

    [Theory]
    [InlineData("a.txt", true)]
    [InlineData("A.MD", true)]
    [InlineData("x.markdown", true)]
    [InlineData("page.HTM", true)]
    [InlineData("report.pdf", false)]
    [InlineData("noextension", false)]
    public void Supported_types_are_decided_by_extension(string name, bool supported) =>
        Assert.Equal(supported, FileTextExtractor.IsSupported(name));
}
