using RagSuite.Gateway.Ingestion;

namespace RagSuite.Gateway.Tests.Ingestion;

public sealed class ChunkPlannerTests
{
    private static string Prose(int sentences) =>
        string.Join(' ', Enumerable.Range(1, sentences).Select(i => $"Sentence {i} says something about item {i}."));

    [Fact]
    public void Short_text_is_one_chunk_covering_it_all()
    {
        const string text = "  One sentence. Two sentences.  ";

        var chunks = ChunkPlanner.Plan(text, maxTokens: 64, overlapTokens: 8);

        Assert.Single(chunks);
        Assert.Equal("One sentence. Two sentences.", text[chunks[0].Start..chunks[0].End]);
        Assert.Equal(6, chunks[0].Tokens);
    }

    [Theory]
    [InlineData(32, 0)]
    [InlineData(32, 8)]
    [InlineData(64, 16)]
    [InlineData(128, 32)]
    public void Chunks_respect_the_budget_start_and_end_on_sentences_and_cover_the_text(int maxTokens, int overlap)
    {
        var text = Prose(60);
        var sentenceStarts = RagSuite.Core.Text.SentenceSplitter.Split(text).Select(s => s.Start).ToHashSet();
        var sentenceEnds = RagSuite.Core.Text.SentenceSplitter.Split(text).Select(s => s.End).ToHashSet();

        var chunks = ChunkPlanner.Plan(text, maxTokens, overlap);

        Assert.All(chunks, c => Assert.InRange(c.Tokens, 1, maxTokens));
        Assert.All(chunks, c => Assert.Equal(ChunkPlanner.CountTokens(text.AsSpan(c.Start, c.End - c.Start)), c.Tokens));
        Assert.All(chunks, c => Assert.Contains(c.Start, sentenceStarts));
        Assert.All(chunks, c => Assert.Contains(c.End, sentenceEnds));
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(text.Length, chunks[^1].End);
        Assert.All(chunks.Zip(chunks.Skip(1)), p =>
            Assert.True(p.Second.Start <= p.First.End || string.IsNullOrWhiteSpace(text[p.First.End..p.Second.Start]), "text between chunks is lost"));
        Assert.All(chunks.Zip(chunks.Skip(1)), p => Assert.True(p.Second.Start > p.First.Start, "a chunk that does not move forward"));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
    }

    [Fact]
    public void Overlap_repeats_the_trailing_sentences_of_the_previous_chunk()
    {
        var text = Prose(40);

        var chunks = ChunkPlanner.Plan(text, maxTokens: 60, overlapTokens: 12);

        Assert.True(chunks.Count > 2);
        Assert.All(chunks.Zip(chunks.Skip(1)), p =>
        {
            var shared = ChunkPlanner.CountTokens(text.AsSpan(p.Second.Start, p.First.End - p.Second.Start));
            Assert.InRange(shared, 1, 12);
        });
    }

    [Fact]
    public void Without_overlap_chunks_only_touch()
    {
        var text = Prose(40);

        var chunks = ChunkPlanner.Plan(text, maxTokens: 60, overlapTokens: 0);

        Assert.All(chunks.Zip(chunks.Skip(1)), p => Assert.True(p.Second.Start >= p.First.End));
    }

    [Fact]
    public void A_sentence_longer_than_a_chunk_is_cut_at_token_boundaries()
    {
        var text = "Start. " + string.Join(' ', Enumerable.Range(1, 100).Select(i => $"w{i}")) + ". End.";

        var chunks = ChunkPlanner.Plan(text, maxTokens: 30, overlapTokens: 5);

        static bool InsideWord(string t, int at) => at > 0 && at < t.Length && char.IsLetterOrDigit(t[at - 1]) && char.IsLetterOrDigit(t[at]);
        Assert.True(chunks.Count >= 4);
        Assert.All(chunks, c => Assert.InRange(c.Tokens, 1, 30));
        Assert.All(chunks, c => Assert.False(InsideWord(text, c.Start) || InsideWord(text, c.End), $"chunk {c.Index} cuts a word"));
        Assert.Equal(text.Length, chunks[^1].End);
    }

    [Fact]
    public void Blank_text_has_no_chunks()
    {
        Assert.Empty(ChunkPlanner.Plan(" \n\t ", maxTokens: 16, overlapTokens: 4));
    }
}
