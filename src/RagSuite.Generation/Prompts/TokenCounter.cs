using Microsoft.ML.Tokenizers;

namespace RagSuite.Generation.Prompts;

/// <summary>
/// Counts an upstream's prompt tokens with <c>Microsoft.ML.Tokenizers</c>. When the upstream's own tokenizer is
/// unknown, cl100k_base stands in and every count is raised by <see cref="ApproximationMargin"/>, since another
/// model's tokenizer may split the same text into more tokens.
/// </summary>
public sealed class TokenCounter
{
    public const string DefaultEncoding = "cl100k_base";
    public const double ApproximationMargin = 0.10;

    private readonly Tokenizer _tokenizer;
    private readonly double _scale;

    private TokenCounter(Tokenizer tokenizer, string name, bool exact)
    {
        _tokenizer = tokenizer;
        _scale = exact ? 1 : 1 + ApproximationMargin;
        Name = name;
        Exact = exact;
    }

    /// <summary>What counts: the encoding, model or file, and "(approximate)" when it stands in for the model's own.</summary>
    public string Name { get; }

    public bool Exact { get; }

    public int Count(string text) => text.Length == 0 ? 0 : (int)Math.Ceiling(_tokenizer.CountTokens(text) * _scale);

    /// <summary>The longest prefix of <paramref name="text"/> within <paramref name="tokens"/>, cut at a token boundary.</summary>
    public string Truncate(string text, int tokens)
    {
        var budget = (int)Math.Floor(tokens / _scale);
        if (budget <= 0) return "";
        var index = _tokenizer.GetIndexByTokenCount(text, budget, out _, out _);
        return text[..index];
    }

    /// <summary>
    /// The tokenizer a setting names: a tiktoken encoding, an OpenAI model name, or a SentencePiece <c>.model</c> file;
    /// unset, the model's own encoding when it is an OpenAI model, else the approximation.
    /// </summary>
    public static TokenCounter For(string? setting, string model)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            try
            {
                return new TokenCounter(TiktokenTokenizer.CreateForModel(model), model, exact: true);
            }
            catch (NotSupportedException)
            {
                return new TokenCounter(TiktokenTokenizer.CreateForEncoding(DefaultEncoding), $"{DefaultEncoding} (approximate)", exact: false);
            }
        }
        if (setting.EndsWith(".model", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(setting)) throw new ArgumentException($"the SentencePiece file '{setting}' does not exist");
            using var stream = File.OpenRead(setting);
            return new TokenCounter(LlamaTokenizer.Create(stream), Path.GetFileName(setting), exact: true);
        }
        try
        {
            return new TokenCounter(TiktokenTokenizer.CreateForEncoding(setting), setting, exact: true);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException)
        {
            try
            {
                return new TokenCounter(TiktokenTokenizer.CreateForModel(setting), setting, exact: true);
            }
            catch (Exception inner) when (inner is NotSupportedException or ArgumentException or InvalidOperationException)
            {
                throw new ArgumentException(
                    $"'{setting}' is neither a tiktoken encoding this build carries (cl100k_base, o200k_base), an OpenAI model name, nor a SentencePiece .model file");
            }
        }
    }
}
