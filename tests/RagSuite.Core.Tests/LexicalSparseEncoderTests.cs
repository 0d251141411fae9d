using System.IO.Hashing;
using System.Text;
using RagSuite.Core.Text;

namespace RagSuite.Core.Tests;

public sealed class LexicalSparseEncoderTests
{
    [Fact]
    public void Vector_counts_each_lower_cased_word_once_per_occurrence()
    {
        var (vector, tokens) = LexicalSparseEncoder.Encode("Wind tunnel: WIND, wind-tunnel tests.");

        Assert.Equal(6, tokens);
        var weights = vector.Indices.Zip(vector.Values).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(3, weights[TermHasher.Hash("wind")]);
        Assert.Equal(2, weights[TermHasher.Hash("tunnel")]);
        Assert.Equal(1, weights[TermHasher.Hash("tests")]);
        Assert.Equal(3, weights.Count);
    }

    [Fact]
    public void Indices_are_sorted_and_distinct()
    {
        var (vector, _) = LexicalSparseEncoder.Encode("the quick brown fox jumps over the lazy dog the end");

        Assert.Equal(vector.Indices.Order(), vector.Indices);
        Assert.Equal(vector.Indices.Count, vector.Indices.Distinct().Count());
        Assert.Equal(vector.Indices.Count, vector.Values.Count);
    }

    [Fact]
    public void Text_without_words_has_an_empty_vector()
    {
        var (vector, tokens) = LexicalSparseEncoder.Encode(" ?! … -- ");

        Assert.Empty(vector.Indices);
        Assert.Equal(0, tokens);
    }

    [Theory]
    [InlineData("wind")]
    [InlineData("café")]
    [InlineData("日本語")]
    public void Term_index_is_the_xxHash32_of_the_UTF8_word(string word)
    {
        // Stored vectors depend on this: changing the hash would silently break every existing collection.
        Assert.Equal(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(word)), TermHasher.Hash(word));
    }

    [Fact]
    public void Very_long_words_hash_like_short_ones()
    {
        var word = new string('a', 1000);

        Assert.Equal(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(word)), TermHasher.Hash(word));
    }
}
