using System.Text.RegularExpressions;

namespace RagSuite.Generation.Safety;

/// <summary>
/// One detector category: a few regular expressions (its phrases) over <see cref="ScanText"/>. NonBacktracking
/// keeps every scan linear in the text's length, whatever the text, so a 100 KB chunk or a hostile
/// one cannot stall the generator; the price is no lookarounds, so each phrase states its own
/// right-hand context explicitly. Patterns are written lower case, accent-free, with straight quotes,
/// in free-spacing mode: spaces are layout, <c>\s+</c> is a word gap.
/// </summary>
internal sealed class SignalPattern(string signal, params string[] alternatives)
{
    /// <summary>Any quote mark, after <see cref="ScanText"/> folded the curly ones and guillemets.</summary>
    public const string Quote = """['"]""";

    /// <summary>What may follow a clause-final word: punctuation, the end of the text, or a joining word.
    /// Not the end of a line: hard-wrapped prose ends lines mid-clause ("reproduce the above\n copyright notice").</summary>
    public const string ClauseEnd = @"(\s*[.,;:!?]|\s*\z|\s+(and|then|instead|so)\b)";

    // One expression per phrase rather than one alternation: NonBacktracking refuses automata past
    // 10,000 nodes, and these phrases together exceed that.
    private readonly Regex[] _phrases = [.. alternatives.Select(a => new Regex(a,
        RegexOptions.NonBacktracking | RegexOptions.Multiline | RegexOptions.IgnorePatternWhitespace |
        RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant))];

    public string Signal { get; } = signal;

    public bool Fires(ScanText text) => _phrases.Any(p => p.IsMatch(text.Text));
}
