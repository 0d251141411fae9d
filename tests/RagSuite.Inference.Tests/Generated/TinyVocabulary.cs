namespace RagSuite.Inference.Tests.Generated;

/// <summary>
/// A small WordPiece vocabulary for generated models: the five special tokens first (as BERT's <c>vocab.txt</c> has
/// them), every ASCII letter, digit and symbol alone and as a <c>##</c> continuation so any ASCII word can be spelled,
/// a few accented letters and CJK characters, and whole words and pieces so that common text takes fewer tokens.
/// Characters outside it (other scripts, emoji, €) become <c>[UNK]</c>.
/// </summary>
internal static class TinyVocabulary
{
    private static readonly string[] Words =
    [
        "the", "The", "man", "is", "play", "##ing", "##ed", "guitar", "stock", "market", "fell", "sharp", "##ly", "today",
        "how", "do", "reset", "my", "pass", "##word", "hello", "world", "naive", "cafe", "café", "boundary", "layer", "flow",
        "over", "flat", "plate", "mach", "lift", "of", "wing", "what", "who", "built", "gate", "paris", "Paris", "berlin", "Berlin",
        "un", "##believ", "##able", "number", "and", "symbol", "price", "cost", "tag", "heat", "transfer", "in", "on", "to", "at",
        "river", "bank", "money", "deposit", "long", "sentence", "about", "pressure", "distribution", "text", "mixed", "with",
        "english", "English", "upper", "case", "lower",
    ];

    private static readonly string[] Extra = ["é", "ü", "ï", "ö", "##é", "##ü", "##ï", "##ö", "中", "文", "日", "本", "语", "東", "京"];

    public static IReadOnlyList<string> Tokens { get; } = Build();

    public static void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, "vocab.txt"), string.Join('\n', Tokens) + "\n");

    private static List<string> Build()
    {
        var tokens = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        var ascii = Enumerable.Range(33, 94).Select(c => ((char)c).ToString()).ToList();
        tokens.AddRange(ascii);
        tokens.AddRange(ascii.Where(c => char.IsLetterOrDigit(c[0])).Select(c => "##" + c));
        tokens.AddRange(Extra);
        tokens.AddRange(Words);
        if (tokens.Distinct(StringComparer.Ordinal).Count() != tokens.Count) throw new InvalidOperationException("The generated vocabulary repeats a token.");
        return tokens;
    }
}
