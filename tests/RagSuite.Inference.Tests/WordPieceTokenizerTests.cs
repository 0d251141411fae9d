using RagSuite.Inference.Tests.Generated;
using RagSuite.Inference.Tokenization;
using RagSuite.Testing;
using BertOptions = Microsoft.ML.Tokenizers.BertOptions;
using MlBertTokenizer = Microsoft.ML.Tokenizers.BertTokenizer;

namespace RagSuite.Inference.Tests;

/// <summary>
/// WordPieceTokenizer against Microsoft.ML.Tokenizers' BertTokenizer built directly with the options each
/// <c>tokenizer_config.json</c> means, and against Hugging Face's rules where the two libraries part: ASCII symbols,
/// and longest-first truncation of pairs.
/// </summary>
public sealed class WordPieceTokenizerTests
{
    private const int MaxTokens = 48;

    /// <summary>Text on which the library's own pre-tokenizer and Hugging Face's agree: only Unicode punctuation.</summary>
    private static readonly string[] Texts =
    [
        "",
        "hello",
        "The man is playing the guitar.",
        "Héllo Wörld, naïve café! Ünïcödé ÀÉÎÕÜ",
        "中文 text mixed with English 東京 and 日本语.",
        "numbers 1 22 333 4444, 3.14159 and 1,000,000",
        "punctuation: (a) [b] {c} 'd' \"e\" f/g h\\i j-k l@m #n %o &p *q !r ?s ;t",
        "UPPER lower MiXeD Paris paris PARIS",
        "tabs\tand\nnew lines\r\n  and   runs of spaces ",
        "unbelievable unknown words like xylophone or Ωmega",
        "special tokens in text: [MASK] and [SEP]",
        "a long sentence " + string.Concat(Enumerable.Repeat("about the boundary layer and the pressure distribution ", 10)),
    ];

    public static TheoryData<string, string?, bool, bool, bool> Configurations => new()
    {
        // name, tokenizer_config.json, then what it means: lowercase, strip accents, split CJK characters.
        { "no tokenizer_config.json", null, true, true, true },
        { "uncased", """{"do_lower_case": true}""", true, true, true },
        { "cased", """{"do_lower_case": false}""", false, false, true },
        { "lowercased, accents kept", """{"do_lower_case": true, "strip_accents": false}""", true, false, true },
        { "cased, accents stripped", """{"do_lower_case": false, "strip_accents": true}""", false, true, true },
        { "CJK not split", """{"do_lower_case": true, "tokenize_chinese_chars": false}""", true, true, false },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Ids_equal_the_ML_BertTokenizer_with_the_options_the_config_means(string name, string? config, bool lowercase, bool stripAccents,
        bool splitCjk)
    {
        using var directory = new TemporaryDirectory();
        var (tokenizer, reference) = Load(directory.Path, config, lowercase, stripAccents, splitCjk, MaxTokens);

        foreach (var text in Texts)
        {
            var expected = reference.EncodeToIds(text, addSpecialTokens: true).Select(i => (long)i).ToList();
            var tokens = tokenizer.Encode(text);
            if (expected.Count > MaxTokens)
            {
                // Cut as transformers cuts: the first MaxTokens − 1 ids, then [SEP] again.
                expected = [.. expected.Take(MaxTokens - 1), expected[^1]];
                Assert.True(tokens.Truncated, $"{name}: '{text}' should say it was truncated");
            }
            else
            {
                Assert.False(tokens.Truncated, $"{name}: '{text}' was not truncated");
            }
            Assert.Equal(expected, tokens.Ids);
            Assert.Equal(new long[expected.Count], tokens.TypeIds);
        }
        Assert.Contains(Texts, t => tokenizer.Encode(t).Truncated);
        Assert.Contains(Texts, t => tokenizer.Encode(t).Ids.Contains(tokenizer.Encode("[UNK]").Ids[1]));
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Pairs_are_cls_query_sep_passage_sep_with_segment_ids_0_then_1(string name, string? config, bool lowercase, bool stripAccents,
        bool splitCjk)
    {
        using var directory = new TemporaryDirectory();
        // Room for any two of the texts: truncation has its own test.
        var (tokenizer, reference) = Load(directory.Path, config, lowercase, stripAccents, splitCjk, maxTokens: 512);

        foreach (var (query, passage) in Texts.Zip(Texts.Skip(1)))
        {
            var first = reference.EncodeToIds(query, addSpecialTokens: false).Select(i => (long)i).ToList();
            var second = reference.EncodeToIds(passage, addSpecialTokens: false).Select(i => (long)i).ToList();
            var tokens = tokenizer.EncodePair(query, passage);

            Assert.False(tokens.Truncated, $"{name}: '{query}' / '{passage}' was not truncated");
            Assert.Equal([reference.ClassificationTokenId, .. first, reference.SeparatorTokenId, .. second, reference.SeparatorTokenId], tokens.Ids);
            Assert.Equal([.. Enumerable.Repeat(0L, first.Count + 2), .. Enumerable.Repeat(1L, second.Count + 1)], tokens.TypeIds);
        }
    }

    [Fact]
    public void Ascii_symbols_underscores_and_other_symbols_split_as_BertPreTokenizer_splits_them()
    {
        using var directory = new TemporaryDirectory();
        TinyVocabulary.Write(directory.Path);
        var tokenizer = WordPieceTokenizer.Load(directory.Path, MaxTokens);

        var tokens = tokenizer.Encode("x_y = a+b; cost $5 <tag> ^~|` 5€ I ❤ Paris");

        // BertPreTokenizer isolates every ASCII symbol and Unicode punctuation; € and ❤ are neither, so each stays in its
        // word, which WordPiece then cannot spell: the whole word is [UNK].
        string[] expected = ["[CLS]", "x", "_", "y", "=", "a", "+", "b", ";", "cost", "$", "5", "<", "tag", ">", "^", "~", "|", "`",
            "[UNK]", "i", "[UNK]", "paris", "[SEP]"];
        Assert.Equal(expected.Select(t => (long)TinyVocabulary.Tokens.ToList().IndexOf(t)), tokens.Ids);
    }

    /// <summary>Lengths before and after, for a budget of 7 word tokens: the table tokenizers' own truncation test uses.</summary>
    public static TheoryData<int, int, int, int> LongestFirst => new()
    {
        { 0, 0, 0, 0 }, { 0, 2, 0, 2 }, { 0, 4, 0, 4 }, { 0, 8, 0, 7 },
        { 2, 0, 2, 0 }, { 2, 2, 2, 2 }, { 2, 4, 2, 4 }, { 2, 8, 2, 5 },
        { 4, 0, 4, 0 }, { 4, 2, 4, 2 }, { 4, 4, 3, 4 }, { 4, 8, 3, 4 },
        { 8, 0, 7, 0 }, { 8, 2, 5, 2 }, { 8, 4, 4, 3 }, { 8, 8, 3, 4 },
    };

    [Theory]
    [MemberData(nameof(LongestFirst))]
    public void Pairs_are_truncated_longest_first_as_Hugging_Face_tokenizers_does(int queryWords, int passageWords, int keptQuery, int keptPassage)
    {
        using var directory = new TemporaryDirectory();
        TinyVocabulary.Write(directory.Path);
        var tokenizer = WordPieceTokenizer.Load(directory.Path, maxTokens: 7 + 3);
        var q = TinyVocabulary.Tokens.ToList().IndexOf("q");
        var p = TinyVocabulary.Tokens.ToList().IndexOf("p");

        var tokens = tokenizer.EncodePair(string.Join(' ', Enumerable.Repeat("q", queryWords)), string.Join(' ', Enumerable.Repeat("p", passageWords)));

        Assert.Equal(keptQuery, tokens.Ids.Count(i => i == q));
        Assert.Equal(keptPassage, tokens.Ids.Count(i => i == p));
        Assert.Equal(queryWords + passageWords > 7, tokens.Truncated);
        Assert.Equal(keptQuery + keptPassage + 3, tokens.Length);
    }

    /// <summary>The generated vocabulary with <paramref name="config"/> loaded both ways: by RagSuite, and by the library with explicit options.</summary>
    private static (WordPieceTokenizer Tokenizer, MlBertTokenizer Reference) Load(string directory, string? config, bool lowercase, bool stripAccents,
        bool splitCjk, int maxTokens)
    {
        TinyVocabulary.Write(directory);
        if (config is not null) File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), config);
        var reference = MlBertTokenizer.Create(Path.Combine(directory, "vocab.txt"), new BertOptions
        {
            LowerCaseBeforeTokenization = lowercase,
            RemoveNonSpacingMarks = stripAccents,
            IndividuallyTokenizeCjk = splitCjk,
        });
        return (WordPieceTokenizer.Load(directory, maxTokens), reference);
    }
}
