using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Tokenization;
using RagSuite.Testing;
using Xunit.Abstractions;
using References = RagSuite.Inference.Tests.HuggingFaceReferences;

namespace RagSuite.Inference.Tests;

/// <summary>
/// Real Hugging Face ONNX exports (PyTorch/transformers, random weights) against what transformers computed for
/// them: the same token ids, and vectors and logits within 1e-4, in a padded batch and one text at a time.
/// <c>tiny-bert</c> and <c>tiny-cross-encoder</c> ship <c>tokenizer.json</c>; <c>tiny-bert-no-token-types</c>
/// ships <c>vocab.txt</c> with <c>tokenizer_config.json</c> and a graph without a <c>token_type_ids</c> input.
/// </summary>
public sealed class HuggingFaceExportTests(ITestOutputHelper output)
{
    private static References Expected => References.Instance;

    [Theory]
    [InlineData(References.Encoder)]
    [InlineData(References.EncoderWithoutTokenTypes)]
    public void Encoder_folder_tokenizes_every_sentence_to_the_transformers_ids(string name)
    {
        using var encoder = TextEncoder.Load(ModelFolder.Open(References.Fixture(name)), TestSessions.Cpu());
        var unlimited = WordPieceTokenizer.Load(References.Fixture(name), maxTokens: 4096);

        foreach (var sentence in Expected.Sentences)
        {
            var tokens = encoder.Tokenizer.Encode(sentence.Text);
            Assert.Equal(sentence.Ids, tokens.Ids);
            Assert.All(tokens.TypeIds, t => Assert.Equal(0, t));
            Assert.Equal(unlimited.Encode(sentence.Text).Length > Expected.MaxLength, tokens.Truncated);
        }
        Assert.Contains(Expected.Sentences, s => encoder.Tokenizer.Encode(s.Text).Truncated);
    }

    [Theory]
    [InlineData(References.CrossEncoder)]
    [InlineData(References.EncoderWithoutTokenTypes)]
    public void Pairs_tokenize_to_the_transformers_ids_and_segment_ids_with_longest_first_truncation(string name)
    {
        var tokenizer = WordPieceTokenizer.Load(References.Fixture(name), Expected.MaxLength);
        var unlimited = WordPieceTokenizer.Load(References.Fixture(name), maxTokens: 4096);

        foreach (var pair in Expected.Pairs)
        {
            var tokens = tokenizer.EncodePair(pair.Query, pair.Passage);
            Assert.Equal(pair.Ids, tokens.Ids);
            Assert.Equal(pair.TypeIds, tokens.TypeIds);
            Assert.Equal(unlimited.EncodePair(pair.Query, pair.Passage).Length > Expected.MaxLength, tokens.Truncated);
        }
        Assert.Contains(Expected.Pairs, p => tokenizer.EncodePair(p.Query, p.Passage).Truncated);
    }

    [Theory]
    [InlineData(References.Encoder)]
    [InlineData(References.EncoderWithoutTokenTypes)]
    public void Encoder_folder_mean_pools_to_the_transformers_vectors_batched_and_one_at_a_time(string name)
    {
        using var encoder = TextEncoder.Load(ModelFolder.Open(References.Fixture(name)), TestSessions.Cpu());

        var worst = CompareVectors(encoder, s => s.Mean);

        output.WriteLine($"{name}, mean pooling: largest difference from transformers {worst:E2}");
    }

    [Theory]
    [InlineData(References.Encoder)]
    [InlineData(References.EncoderWithoutTokenTypes)]
    public void Encoder_folder_with_cls_pooling_gives_the_transformers_cls_vectors(string name)
    {
        using var copy = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(References.Fixture(name))) File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        (ModelFolder.Open(copy.Path).Manifest with { Pooling = Pooling.Cls }).Write(copy.Path);
        using var encoder = TextEncoder.Load(ModelFolder.Open(copy.Path), TestSessions.Cpu());

        var worst = CompareVectors(encoder, s => s.Cls);

        output.WriteLine($"{name}, cls pooling: largest difference from transformers {worst:E2}");
    }

    [Fact]
    public void Cross_encoder_folder_scores_pairs_to_the_transformers_logits_batched_and_one_at_a_time()
    {
        using var crossEncoder = CrossEncoder.Load(ModelFolder.Open(References.Fixture(References.CrossEncoder)), TestSessions.Cpu());
        var pairs = Expected.Pairs.Select(p => crossEncoder.Tokenizer.EncodePair(p.Query, p.Passage)).ToList();

        var batched = crossEncoder.Score(pairs);

        var worst = 0.0;
        for (var i = 0; i < pairs.Count; i++)
        {
            var what = $"'{Expected.Pairs[i].Query}' / '{Expected.Pairs[i].Passage}'";
            worst = Math.Max(worst, Closeness.Assert(Expected.Pairs[i].Logit, batched[i], what + " (batched)"));
            worst = Math.Max(worst, Closeness.Assert(Expected.Pairs[i].Logit, crossEncoder.Score([pairs[i]])[0], what + " (alone)"));
        }
        output.WriteLine($"cross-encoder logits: largest difference from transformers {worst:E2}");
    }

    /// <summary>Every reference sentence in one padded batch and then alone; returns the largest difference seen.</summary>
    private static double CompareVectors(TextEncoder encoder, Func<References.Sentence, float[]> expected)
    {
        var tokens = Expected.Sentences.Select(s => encoder.Tokenizer.Encode(s.Text)).ToList();
        Assert.True(tokens.Select(t => t.Length).Distinct().Count() > 1, "the batch must mix lengths so that padding is exercised");

        var batched = encoder.Encode(tokens);

        var worst = 0.0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var sentence = Expected.Sentences[i];
            worst = Math.Max(worst, Closeness.Assert(expected(sentence), batched[i], $"'{sentence.Text}' (batched)"));
            worst = Math.Max(worst, Closeness.Assert(expected(sentence), encoder.Encode([tokens[i]])[0], $"'{sentence.Text}' (alone)"));
        }
        return worst;
    }
}
