using System.ComponentModel.DataAnnotations;

namespace RagSuite.Generation;

/// <summary>Limits and defaults of the generator (section <c>RagSuite:Generator</c>).</summary>
public sealed class GeneratorOptions
{
    public const string Section = "RagSuite:Generator";

    /// <summary>Most passages one request may carry.</summary>
    [Range(1, 1000)]
    public int MaxPassages { get; set; } = 100;

    /// <summary>Longest question accepted, in characters.</summary>
    [Range(1, 1_000_000)]
    public int MaxQuestionChars { get; set; } = 8192;

    /// <summary>Most sentences an extractive answer joins.</summary>
    [Range(1, 20)]
    public int MaxAnswerSentences { get; set; } = 3;

    /// <summary>Answer length, in words, when the request sets no max_tokens.</summary>
    [Range(1, 8192)]
    public int DefaultMaxTokens { get; set; } = 256;
}
