using RagSuite.Contracts.V1;
using RagSuite.Generation;

namespace RagSuite.Generator.Tests;

public sealed class ExtractiveAnswererTests
{
    private static readonly SourcePassage[] Passages =
    [
        new() { Id = "p1", Text = "The Wright Flyer first flew in 1903. It was built in Dayton, Ohio." },
        new() { Id = "p2", Text = "Kitty Hawk is in North Carolina. The first powered flight took place at Kitty Hawk on 17 December 1903." },
    ];

    [Fact]
    public void Best_matching_sentence_comes_first_cited_by_its_passage_number()
    {
        var answer = ExtractiveAnswerer.Compose("Where did the first powered flight take place?", Passages, maxSentences: 3, maxWords: 200);

        Assert.Equal("stop", answer.FinishReason);
        Assert.StartsWith("The first powered flight took place at Kitty Hawk", answer.Sentences[0].Text);
        Assert.Equal(1, answer.Sentences[0].Passage); // zero-based: the second passage, cited as [2]
    }

    [Fact]
    public void Sentences_sharing_no_content_word_with_the_question_are_left_out()
    {
        var answer = ExtractiveAnswerer.Compose("Where was the Wright Flyer built?", Passages, maxSentences: 3, maxWords: 200);

        Assert.All(answer.Sentences, s => Assert.DoesNotContain("North Carolina", s.Text));
        Assert.Contains(answer.Sentences, s => s.Text.Contains("Dayton", StringComparison.Ordinal));
    }

    [Fact]
    public void Word_budget_stops_the_answer_and_is_reported_as_length()
    {
        var answer = ExtractiveAnswerer.Compose("first flight 1903 Kitty Hawk Wright Flyer", Passages, maxSentences: 3, maxWords: 4);

        Assert.Equal("length", answer.FinishReason);
        Assert.Single(answer.Sentences);
        Assert.True(answer.Sentences[0].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 5);
    }

    [Fact]
    public void Question_nothing_matches_has_no_answer()
    {
        var answer = ExtractiveAnswerer.Compose("photosynthesis chlorophyll", Passages, maxSentences: 3, maxWords: 200);

        Assert.Empty(answer.Sentences);
        Assert.Equal("no_answer", answer.FinishReason);
    }

    [Fact]
    public void Near_duplicate_sentences_are_not_repeated()
    {
        SourcePassage[] repeated =
        [
            new() { Id = "a", Text = "The first powered flight was in 1903 at Kitty Hawk." },
            new() { Id = "b", Text = "The first powered flight was in 1903 at Kitty Hawk!" },
        ];

        var answer = ExtractiveAnswerer.Compose("When was the first powered flight?", repeated, maxSentences: 3, maxWords: 200);

        Assert.Single(answer.Sentences);
    }
}
