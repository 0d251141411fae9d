using RagSuite.Core.Text;

namespace RagSuite.Core.Tests;

public sealed class WordTokenizerTests
{
    [Theory]
    [InlineData("Hello, World!", new[] { "hello", "world" })]
    [InlineData("mach-2.5 flow", new[] { "mach", "2", "5", "flow" })]
    [InlineData("Café naïve 東京", new[] { "café", "naïve", "東京" })]
    [InlineData("don't", new[] { "don", "t" })]
    [InlineData("", new string[0])]
    public void Words_are_lower_cased_runs_of_letters_and_digits(string text, string[] expected) =>
        Assert.Equal(expected, WordTokenizer.Tokenize(text));

    [Fact]
    public void Count_equals_the_number_of_tokens()
    {
        const string text = "A quick test: 3 words, and 2 more!";

        Assert.Equal(WordTokenizer.Tokenize(text).Count, WordTokenizer.Count(text));
    }

    [Fact]
    public void Content_terms_drop_stop_words_unless_nothing_else_is_left()
    {
        Assert.Equal(["speed", "sound"], StopWords.ContentTerms("What is the speed of the sound?"));
        Assert.Equal(["what", "is", "it"], StopWords.ContentTerms("What is it?"));
    }
}
