using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using MlBertTokenizer = Microsoft.ML.Tokenizers.BertTokenizer;

namespace RagSuite.Inference.Tokenization;

/// <summary>
/// BERT WordPiece tokenisation for Hugging Face exports, by <c>Microsoft.ML.Tokenizers</c>' BERT tokenizer.
/// The vocabulary and normalisation come from <c>tokenizer.json</c> (its WordPiece vocabulary and BertNormalizer)
/// or from <c>vocab.txt</c> with <c>tokenizer_config.json</c>. Single texts become <c>[CLS] text [SEP]</c>; pairs
/// become <c>[CLS] query [SEP] passage [SEP]</c> with segment ids 0 then 1, cut longest-first as Hugging Face does.
/// Words are split as Hugging Face's BertPreTokenizer splits them, not by the library's default pre-tokenizer.
/// </summary>
public sealed partial class WordPieceTokenizer : IModelTokenizer
{
    private readonly MlBertTokenizer _tokenizer;

    private WordPieceTokenizer(MlBertTokenizer tokenizer, int maxTokens)
    {
        _tokenizer = tokenizer;
        MaxTokens = maxTokens;
    }

    public int MaxTokens { get; }

    public long PaddingId => _tokenizer.PaddingTokenId;

    /// <summary>Reads the folder's tokenizer files; a file that cannot be a BERT tokenizer is an <see cref="InvalidDataException"/> naming it.</summary>
    public static WordPieceTokenizer Load(string modelDirectory, int maxTokens)
    {
        var tokenizerJson = Path.Combine(modelDirectory, "tokenizer.json");
        var vocabTxt = Path.Combine(modelDirectory, "vocab.txt");
        var configJson = Path.Combine(modelDirectory, "tokenizer_config.json");
        var fromTokenizerJson = File.Exists(tokenizerJson);
        Settings settings;
        try
        {
            settings = fromTokenizerJson ? Settings.FromTokenizerJson(tokenizerJson) : Settings.FromVocabTxt(vocabTxt, configJson);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Malformed JSON, a missing property or a value of the wrong kind: the file is not what a BERT export writes.
            throw new InvalidDataException($"'{(fromTokenizerJson ? tokenizerJson : configJson)}' cannot be read as a BERT tokenizer: {e.Message}", e);
        }
        using var vocabulary = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', settings.Vocabulary) + "\n"));
        try
        {
            var tokenizer = MlBertTokenizer.Create(vocabulary, new BertOptions
            {
                PreTokenizer = new RegexPreTokenizer(BertWords(), SpecialTokens(settings)),
                LowerCaseBeforeTokenization = settings.Lowercase,
                RemoveNonSpacingMarks = settings.StripAccents,
                IndividuallyTokenizeCjk = settings.ChineseCharacters,
                ApplyBasicTokenization = true,
                SplitOnSpecialTokens = true,
                UnknownToken = settings.Unknown,
                ClassificationToken = settings.Classification,
                SeparatorToken = settings.Separator,
                PaddingToken = settings.Padding,
                MaskingToken = settings.Masking,
            });
            return new WordPieceTokenizer(tokenizer, maxTokens);
        }
        catch (ArgumentException e)
        {
            // The library refuses a vocabulary that lacks a special token the settings name.
            throw new InvalidDataException($"'{(fromTokenizerJson ? tokenizerJson : vocabTxt)}' is not a usable BERT vocabulary: {e.Message}", e);
        }
    }

    public TokenizedText Encode(string text)
    {
        var ids = Words(text);
        var truncated = ids.Count > MaxTokens - 2;
        if (truncated) ids.RemoveRange(MaxTokens - 2, ids.Count - (MaxTokens - 2));
        var withSpecial = _tokenizer.BuildInputsWithSpecialTokens(ids);
        return new TokenizedText([.. withSpecial.Select(i => (long)i)], new long[withSpecial.Count], truncated);
    }

    public TokenizedText EncodePair(string query, string passage)
    {
        var first = Words(query);
        var second = Words(passage);
        var budget = Math.Max(0, MaxTokens - 3);
        var truncated = first.Count + second.Count > budget;
        if (truncated)
        {
            // Longest first as tokenizers' truncate_encodings does it: when only the longer side must shrink, it keeps
            // what the shorter leaves; when both must, the shorter keeps half the budget rounded down and the longer
            // the rest, the second counting as the longer on a tie.
            var firstIsLonger = first.Count > second.Count;
            var shorter = Math.Min(first.Count, second.Count);
            var longer = shorter > budget ? shorter : Math.Max(shorter, budget - shorter);
            if (shorter + longer > budget)
            {
                shorter = budget / 2;
                longer = shorter + budget % 2;
            }
            Keep(first, firstIsLonger ? longer : shorter);
            Keep(second, firstIsLonger ? shorter : longer);
        }
        var ids = _tokenizer.BuildInputsWithSpecialTokens(first, second);
        var types = _tokenizer.CreateTokenTypeIdsFromSequences(first, second);
        return new TokenizedText([.. ids.Select(i => (long)i)], [.. types.Select(t => (long)t)], truncated);
    }

    private List<int> Words(string text) => [.. _tokenizer.EncodeToIds(text, addSpecialTokens: false)];

    private static void Keep(List<int> ids, int count)
    {
        if (ids.Count > count) ids.RemoveRange(count, ids.Count - count);
    }

    /// <summary>
    /// A run of characters that are neither whitespace nor punctuation, or one punctuation character, where
    /// punctuation is what Hugging Face's BertPreTokenizer isolates: Unicode P* and every ASCII symbol. The
    /// library's default (<c>\w+|\p{P}</c>) silently drops <c>$ + &lt; = &gt; ^ ` | ~</c>, keeps <c>_</c> inside words
    /// and drops non-ASCII symbols (€, emoji) that BERT keeps as, usually unknown, words.
    /// </summary>
    [GeneratedRegex(@"[^\s\p{P}!-/:-@\[-`{-~]+|[\p{P}!-/:-@\[-`{-~]", RegexOptions.CultureInvariant)]
    private static partial Regex BertWords();

    /// <summary>The special tokens written in a text that stay whole, lowercased when the input is (the normaliser runs first).</summary>
    private static Dictionary<string, int> SpecialTokens(Settings settings)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < settings.Vocabulary.Count; id++) ids.TryAdd(settings.Vocabulary[id], id);
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in new[] { settings.Unknown, settings.Classification, settings.Separator, settings.Padding, settings.Masking })
        {
            if (ids.TryGetValue(token, out var id)) special[settings.Lowercase ? token.ToLowerInvariant() : token] = id;
        }
        return special;
    }

    /// <summary>What the Hugging Face files say about the vocabulary and normalisation.</summary>
    private sealed record Settings(IReadOnlyList<string> Vocabulary, bool Lowercase, bool StripAccents, bool ChineseCharacters,
        string Unknown, string Classification, string Separator, string Padding, string Masking)
    {
        public static Settings FromTokenizerJson(string path)
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.GetProperty("type").GetString() != "WordPiece")
            {
                throw new InvalidDataException($"'{path}' does not hold a WordPiece model; the bert families need a BERT-style tokenizer.");
            }
            var vocabulary = model.GetProperty("vocab").EnumerateObject().OrderBy(p => p.Value.GetInt32()).Select(p => p.Name).ToList();
            var normalizer = FindBertNormalizer(root.GetProperty("normalizer"));
            var lowercase = normalizer is { } n && n.TryGetProperty("lowercase", out var lower) && lower.GetBoolean();
            var strip = normalizer is { } m && m.TryGetProperty("strip_accents", out var accents) && accents.ValueKind != JsonValueKind.Null
                ? accents.GetBoolean()
                : lowercase;
            var chinese = normalizer is not { } c || !c.TryGetProperty("handle_chinese_chars", out var cjk) || cjk.GetBoolean();
            var unknown = model.TryGetProperty("unk_token", out var unk) ? unk.GetString() ?? "[UNK]" : "[UNK]";
            return new Settings(vocabulary, lowercase, strip, chinese, unknown, "[CLS]", "[SEP]", "[PAD]", "[MASK]");
        }

        public static Settings FromVocabTxt(string vocabPath, string configPath)
        {
            var vocabulary = File.ReadAllLines(vocabPath).ToList();
            while (vocabulary.Count > 0 && vocabulary[^1].Length == 0) vocabulary.RemoveAt(vocabulary.Count - 1);
            var lowercase = true;
            bool? strip = null;
            var chinese = true;
            string Token(JsonElement config, string name, string fallback) =>
                config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;
            if (File.Exists(configPath))
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(configPath));
                var config = document.RootElement;
                if (config.TryGetProperty("do_lower_case", out var lower) && lower.ValueKind is JsonValueKind.True or JsonValueKind.False) lowercase = lower.GetBoolean();
                if (config.TryGetProperty("strip_accents", out var accents) && accents.ValueKind is JsonValueKind.True or JsonValueKind.False) strip = accents.GetBoolean();
                if (config.TryGetProperty("tokenize_chinese_chars", out var cjk) && cjk.ValueKind is JsonValueKind.True or JsonValueKind.False) chinese = cjk.GetBoolean();
                return new Settings(vocabulary, lowercase, strip ?? lowercase, chinese, Token(config, "unk_token", "[UNK]"),
                    Token(config, "cls_token", "[CLS]"), Token(config, "sep_token", "[SEP]"), Token(config, "pad_token", "[PAD]"),
                    Token(config, "mask_token", "[MASK]"));
            }
            return new Settings(vocabulary, lowercase, lowercase, chinese, "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]");
        }

        // The BertNormalizer may sit alone or inside a Sequence normalizer.
        private static JsonElement? FindBertNormalizer(JsonElement normalizer)
        {
            if (normalizer.ValueKind != JsonValueKind.Object) return null;
            var type = normalizer.GetProperty("type").GetString();
            if (type == "BertNormalizer") return normalizer;
            if (type == "Sequence" && normalizer.TryGetProperty("normalizers", out var inner))
            {
                return inner.EnumerateArray().Select(FindBertNormalizer).FirstOrDefault(n => n is not null);
            }
            return null;
        }
    }
}
