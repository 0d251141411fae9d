using System.Collections.Frozen;

namespace RagSuite.Core.Text;

/// <summary>
/// Splits text into sentences: at terminal punctuation followed by white space (not after a known
/// abbreviation or a single-letter initial), at blank lines, and before Markdown list items and
/// headings. Spans are trimmed and point into the original text, so callers keep exact offsets.
/// </summary>
public static class SentenceSplitter
{
    private static readonly FrozenSet<string> Abbreviations = new[]
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "eg", "ie", "al",
        "fig", "figs", "eq", "eqs", "ref", "refs", "no", "nos", "vol", "pp", "approx", "inc", "ltd", "co",
        "corp", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "cf", "ca", "resp", "sec", "ch", "min", "max",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static List<TextSpan> Split(string text)
    {
        var sentences = new List<TextSpan>();
        var start = 0;
        var lineStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                // A block (heading, list item, quote, table row) is a sentence of its own line.
                if (StartsBlock(text, i + 1) || StartsBlock(text, lineStart))
                {
                    Add(sentences, text, start, i);
                    start = i + 1;
                }
                lineStart = ++i;
                continue;
            }
            if (IsTerminal(c))
            {
                var end = i + 1;
                while (end < text.Length && (IsTerminal(text[end]) || IsClosing(text[end]))) end++;
                if ((end == text.Length || char.IsWhiteSpace(text[end]))
                    && !(c == '.' && (EndsAbbreviation(text, start, i) || IsListNumber(text, start, i))))
                {
                    Add(sentences, text, start, end);
                    start = end;
                }
                i = end;
                continue;
            }
            i++;
        }
        Add(sentences, text, start, text.Length);
        return sentences;
    }

    private static bool IsTerminal(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？';

    private static bool IsClosing(char c) => c is '"' or '\'' or ')' or ']' or '”' or '’' or '»';

    // A blank line, or a Markdown block (heading, list item, quote, table row) starts a new sentence.
    private static bool StartsBlock(string text, int from)
    {
        var j = from;
        while (j < text.Length && text[j] is ' ' or '\t' or '\r') j++;
        if (j >= text.Length) return false;
        var c = text[j];
        if (c is '\n' or '#' or '>' or '|') return true;
        if (c is '-' or '*' or '+') return j + 1 < text.Length && text[j + 1] == ' ';
        var k = j;
        while (k < text.Length && char.IsAsciiDigit(text[k])) k++;
        return k > j && k + 1 < text.Length && text[k] is '.' or ')' && text[k + 1] == ' ';
    }

    // "1." opening a sentence numbers a list item; it does not end one.
    private static bool IsListNumber(string text, int sentenceStart, int dot)
    {
        var digits = dot;
        while (digits > sentenceStart && char.IsAsciiDigit(text[digits - 1])) digits--;
        if (digits == dot) return false;
        for (var j = sentenceStart; j < digits; j++)
        {
            if (!char.IsWhiteSpace(text[j])) return false;
        }
        return true;
    }

    private static bool EndsAbbreviation(string text, int sentenceStart, int dot)
    {
        var wordStart = dot;
        while (wordStart > sentenceStart && (char.IsLetter(text[wordStart - 1]) || text[wordStart - 1] == '.')) wordStart--;
        var word = text.AsSpan(wordStart, dot - wordStart);
        if (word.Length == 0) return false;
        if (word.Length == 1 && char.IsUpper(word[0])) return true;
        return Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }

    private static void Add(List<TextSpan> sentences, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) sentences.Add(new TextSpan(start, end));
    }
}
