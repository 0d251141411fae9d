using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Sessions;
using RagSuite.Inference.Tokenization;
using RagSuite.Testing;

namespace RagSuite.Models.Tests;

/// <summary>
/// The converted USE-lite against the outputs its own TF.js runtime produced (<c>../shared/models/use-lite/reference-tfjs.json</c>):
/// identical token ids and every embedding value within 1e-4, one text at a time and in a padded batch.
/// </summary>
public sealed class UseLiteConversionTests
{
    private const float Tolerance = 1e-4f;

    [UseLiteFact(NeedsSharedData = true)]
    public async Task Converted_model_reproduces_the_TFjs_reference_ids_and_embeddings()
    {
        var references = JsonDocument.Parse(await File.ReadAllTextAsync(SharedData.Path("..", "models", "use-lite", "reference-tfjs.json")))
            .RootElement.EnumerateArray()
            .Select(r => (Text: r.GetProperty("text").GetString()!, Ids: r.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
                Embedding: r.GetProperty("emb").EnumerateArray().Select(v => v.GetSingle()).ToArray()))
            .ToList();
        using var encoder = TextEncoder.Load(ModelFolder.Open(await UseLiteModel.EnsureAsync()), Sessions());
        var tokenizer = Assert.IsType<UnigramTokenizer>(encoder.Tokenizer);

        var batch = encoder.Encode([.. references.Select(r => tokenizer.Encode(r.Text))]);

        for (var i = 0; i < references.Count; i++)
        {
            Assert.Equal(references[i].Ids, tokenizer.Tokenize(references[i].Text));
            AssertClose(references[i].Embedding, batch[i], references[i].Text);
            AssertClose(references[i].Embedding, encoder.Encode([tokenizer.Encode(references[i].Text)])[0], references[i].Text);
        }
    }

    [UseLiteFact]
    public async Task Similar_sentences_are_closer_than_unrelated_ones_as_the_reference_measured()
    {
        using var encoder = TextEncoder.Load(ModelFolder.Open(await UseLiteModel.EnsureAsync()), Sessions());
        string[] texts = ["A man is playing a guitar.", "Someone is strumming a guitar.", "The stock market fell sharply today."];
        var vectors = encoder.Encode([.. texts.Select(encoder.Tokenizer.Encode)]);

        Assert.Equal(0.753, Dot(vectors[0], vectors[1]), 0.005);
        Assert.Equal(0.013, Dot(vectors[0], vectors[2]), 0.005);
    }

    internal static OnnxSessionFactory Sessions() =>
        new(Options.Create(new InferenceOptions()), NullLogger<OnnxSessionFactory>.Instance);

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    private static void AssertClose(float[] expected, float[] actual, string text)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"'{text}': largest difference {worst:E2} exceeds {Tolerance:E0}");
    }
}
