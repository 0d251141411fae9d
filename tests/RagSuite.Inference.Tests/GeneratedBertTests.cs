using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Tests.Generated;
using RagSuite.Inference.Tokenization;
using RagSuite.Testing;
using Xunit.Abstractions;

namespace RagSuite.Inference.Tests;

/// <summary>
/// BERT-shaped graphs written from seeded random weights (<see cref="TinyBertGraph"/>) against the plain C# forward
/// pass of the same weights (<see cref="TinyBertReference"/>): pooled, normalised vectors and cross-encoder logits
/// within 1e-4, for a padded batch of texts of very different lengths and for each text alone.
/// </summary>
public sealed class GeneratedBertTests(ITestOutputHelper output)
{
    private const int Seed = 20240611;

    private static readonly string[] Texts =
    [
        "a",
        "",
        "The man is playing the guitar.",
        "Héllo Wörld, naïve café!",
        "中文 text mixed with English 東京",
        "price: 42.50 and cost 7, tag #3 @home (100%)",
        "UNBELIEVABLE pressure distribution over the flat plate at mach 2",
        "a long sentence " + string.Concat(Enumerable.Repeat("about the boundary layer and the pressure distribution ", 10)),
    ];

    private static readonly (string Query, string Passage)[] Pairs =
    [
        ("what is the lift of a wing", "The lift of a wing depends on the pressure distribution."),
        ("what is the lift of a wing", "The stock market fell sharply today."),
        ("who built the gate", "The gate in Berlin was built by a man."),
        ("river bank", "deposit money at the bank"),
        ("heat transfer", "a long passage " + string.Concat(Enumerable.Repeat("about heat transfer in the boundary layer ", 12))),
        ("Héllo?", "naïve café"),
        ("", "text"),
    ];

    [Theory]
    [InlineData(Pooling.Mean, true, false)]
    [InlineData(Pooling.Cls, true, false)]
    [InlineData(Pooling.Mean, false, false)]
    [InlineData(Pooling.Cls, false, true)]
    public void Text_encoder_pools_a_padded_batch_as_the_plain_forward_pass_does(string pooling, bool tokenTypes, bool int32Inputs)
    {
        using var directory = new TemporaryDirectory();
        var weights = TinyBertWeights.Random(Seed, TinyVocabulary.Tokens.Count, classifier: false);
        using var encoder = TextEncoder.Load(ModelFolder.Open(TinyBertGraph.WriteFolder(directory.Path, weights, pooling, tokenTypes, int32Inputs)),
            TestSessions.Cpu());
        var tokens = Texts.Select(encoder.Tokenizer.Encode).ToList();
        Assert.True(tokens.Select(t => t.Length).Distinct().Count() > 3, "the batch must mix lengths so that padding is exercised");
        Assert.Contains(tokens, t => t.Truncated && t.Length == TinyBertGraph.MaxTokens);

        var batched = encoder.Encode(tokens);

        var worst = 0.0;
        var expected = new List<float[]>();
        for (var i = 0; i < tokens.Count; i++)
        {
            expected.Add(pooling == Pooling.Cls
                ? TinyBertReference.ClsPooled(weights, tokens[i].Ids, tokens[i].TypeIds)
                : TinyBertReference.MeanPooled(weights, tokens[i].Ids, tokens[i].TypeIds));
            worst = Math.Max(worst, Closeness.Assert(expected[i], batched[i], $"'{Texts[i]}' (batched)"));
            worst = Math.Max(worst, Closeness.Assert(expected[i], encoder.Encode([tokens[i]])[0], $"'{Texts[i]}' (alone)"));
            Assert.Equal(1.0, Math.Sqrt(batched[i].Sum(v => (double)v * v)), 1e-5);
        }
        var closestPair = Enumerable.Range(0, expected.Count).SelectMany(i => Enumerable.Range(i + 1, expected.Count - i - 1)
            .Select(j => expected[i].Zip(expected[j], (a, b) => Math.Abs(a - b)).Max())).Min();
        Assert.True(closestPair > 100 * Closeness.Tolerance, $"two texts' vectors differ by at most {closestPair:E2}: too alike for the comparison to tell them apart");
        output.WriteLine($"{pooling} pooling, token types {tokenTypes}, int32 inputs {int32Inputs}: largest difference {worst:E2}; "
            + $"the two most alike texts differ by {closestPair:E2}");
    }

    [Fact]
    public void Cross_encoder_scores_a_padded_batch_of_pairs_as_the_plain_forward_pass_does()
    {
        using var directory = new TemporaryDirectory();
        var weights = TinyBertWeights.Random(Seed + 1, TinyVocabulary.Tokens.Count, classifier: true);
        using var crossEncoder = CrossEncoder.Load(ModelFolder.Open(TinyBertGraph.WriteFolder(directory.Path, weights)), TestSessions.Cpu());
        var tokens = Pairs.Select(p => crossEncoder.Tokenizer.EncodePair(p.Query, p.Passage)).ToList();
        Assert.Contains(tokens, t => t.Truncated && t.Length == TinyBertGraph.MaxTokens);

        var batched = crossEncoder.Score(tokens);

        var worst = 0.0;
        var expected = tokens.Select(t => TinyBertReference.Logit(weights, t.Ids, t.TypeIds)).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            var what = $"'{Pairs[i].Query}' / '{Pairs[i].Passage}'";
            worst = Math.Max(worst, Closeness.Assert(expected[i], batched[i], what + " (batched)"));
            worst = Math.Max(worst, Closeness.Assert(expected[i], crossEncoder.Score([tokens[i]])[0], what + " (alone)"));
        }
        var closestPair = expected.SelectMany((a, i) => expected.Skip(i + 1).Select(b => Math.Abs(a - b))).Min();
        Assert.True(closestPair > 100 * Closeness.Tolerance, $"two pairs' logits differ by only {closestPair:E2}: too alike for the comparison to tell them apart");
        output.WriteLine($"cross-encoder: largest difference {worst:E2}; logits {string.Join(", ", expected.Select(l => l.ToString("F3")))}");
    }

    [Fact]
    public void Segment_ids_reach_the_cross_encoder()
    {
        using var directory = new TemporaryDirectory();
        var weights = TinyBertWeights.Random(Seed + 1, TinyVocabulary.Tokens.Count, classifier: true);
        using var crossEncoder = CrossEncoder.Load(ModelFolder.Open(TinyBertGraph.WriteFolder(directory.Path, weights)), TestSessions.Cpu());
        var pair = crossEncoder.Tokenizer.EncodePair("river bank", "money");
        var allFirstSegment = pair with { TypeIds = new long[pair.Length] };

        var scores = crossEncoder.Score([pair, allFirstSegment]);

        Closeness.Assert(TinyBertReference.Logit(weights, pair.Ids, pair.TypeIds), scores[0], "with segment ids");
        Closeness.Assert(TinyBertReference.Logit(weights, pair.Ids, allFirstSegment.TypeIds), scores[1], "all segment 0");
        Assert.True(Math.Abs(scores[0] - scores[1]) > 100 * Closeness.Tolerance, "segment ids changed nothing");
    }
}
