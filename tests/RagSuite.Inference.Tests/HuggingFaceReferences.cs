using System.Text.Json;

namespace RagSuite.Inference.Tests;

/// <summary>
/// The tiny Hugging Face exports under <c>Fixtures/hf</c> and what transformers computed for them
/// (<c>references.json</c>, written by <c>make_fixtures.py</c>): ids without padding, and for sentences the
/// normalised mean-pooled and [CLS] vectors, for pairs the segment ids and the logit.
/// </summary>
internal sealed record HuggingFaceReferences(int MaxLength, IReadOnlyList<HuggingFaceReferences.Sentence> Sentences,
    IReadOnlyList<HuggingFaceReferences.Pair> Pairs)
{
    public const string Encoder = "tiny-bert";
    public const string EncoderWithoutTokenTypes = "tiny-bert-no-token-types";
    public const string CrossEncoder = "tiny-cross-encoder";

    private static readonly Lazy<HuggingFaceReferences> Loaded = new(Read);

    public static HuggingFaceReferences Instance => Loaded.Value;

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf", name);

    private static HuggingFaceReferences Read()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Fixture("references.json")));
        var root = document.RootElement;
        static long[] Longs(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetInt64())];
        static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetSingle())];
        return new HuggingFaceReferences(
            root.GetProperty("max_length").GetInt32(),
            [.. root.GetProperty("sentences").EnumerateArray().Select(s => new Sentence(s.GetProperty("text").GetString()!,
                Longs(s.GetProperty("ids")), Floats(s.GetProperty("mean")), Floats(s.GetProperty("cls"))))],
            [.. root.GetProperty("pairs").EnumerateArray().Select(p => new Pair(p.GetProperty("query").GetString()!,
                p.GetProperty("passage").GetString()!, Longs(p.GetProperty("ids")), Longs(p.GetProperty("type_ids")),
                p.GetProperty("logit").GetSingle()))]);
    }

    public sealed record Sentence(string Text, long[] Ids, float[] Mean, float[] Cls);

    public sealed record Pair(string Query, string Passage, long[] Ids, long[] TypeIds, float Logit);
}
