using RagSuite.Core.Text;

namespace RagSuite.Core.Tests;

public sealed class SentenceSplitterTests
{
    private static string[] Split(string text) => [.. SentenceSplitter.Split(text).Select(s => s.Of(text))];

    public static TheoryData<string, string[]> Cases => new()
    {
        { "One. Two! Three?", ["One.", "Two!", "Three?"] },
        { "Dr. Smith met Mr. Jones. They talked.", ["Dr. Smith met Mr. Jones.", "They talked."] },
        { "Values rose by 3.5 percent. Then fell.", ["Values rose by 3.5 percent.", "Then fell."] },
        { "See e.g. the appendix. Done.", ["See e.g. the appendix.", "Done."] },
        { "J. R. R. Tolkien wrote it. Yes.", ["J. R. R. Tolkien wrote it.", "Yes."] },
        { "He said \"stop.\" Then left.", ["He said \"stop.\"", "Then left."] },
        { "the flow is laminar . the flow is turbulent .", ["the flow is laminar .", "the flow is turbulent ."] },
        { "First paragraph without a stop\n\nSecond paragraph", ["First paragraph without a stop", "Second paragraph"] },
        { "Steps:\n- mix well\n- bake\n1. cool down", ["Steps:", "- mix well", "- bake", "1. cool down"] },
        { "# Title\nBody text here.", ["# Title", "Body text here."] },
        { "Wait... what?! Really.", ["Wait...", "what?!", "Really."] },
        { "   ", [] },
        { "No terminal punctuation", ["No terminal punctuation"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Splits_into_sentences(string text, string[] expected) => Assert.Equal(expected, Split(text));

    [Fact]
    public void Spans_point_into_the_original_text_and_do_not_overlap()
    {
        const string text = "  Alpha beta.  Gamma delta!\n\nEpsilon.  ";

        var spans = SentenceSplitter.Split(text);

        Assert.All(spans.Zip(spans.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start));
        Assert.Equal(["Alpha beta.", "Gamma delta!", "Epsilon."], spans.Select(s => text[s.Start..s.End]));
    }
}
