using System.Text;

namespace RagSuite.Generation.Grounding;

/// <summary>
/// Checks citation marks (<c>[2]</c>, <c>[1, 3]</c>, <c>[1][3]</c>) in an answer as it streams. Text that could still
/// become a mark is held back until it is complete; a mark naming a source that was not sent loses that number, or
/// disappears with the space before it when no number is left. Everything else passes through unchanged.
/// </summary>
public sealed class CitationFilter(IReadOnlySet<int> sent)
{
    private const int LongestMark = 32;

    private readonly StringBuilder _pending = new();
    private readonly List<int> _cited = [];

    /// <summary>Valid sources cited, by number, in order of first citation.</summary>
    public IReadOnlyList<int> Cited => _cited;

    /// <summary>Numbers removed because no such source was sent.</summary>
    public int Removed { get; private set; }

    /// <summary>Takes the next piece of the answer; returns the text that can go out now.</summary>
    public string Push(string delta)
    {
        _pending.Append(delta);
        var output = new StringBuilder();
        while (_pending.Length > 0)
        {
            var text = _pending.ToString();
            var open = text.IndexOf('[');
            if (open < 0)
            {
                // Trailing spaces wait: they belong to a mark that may follow and be removed.
                var keep = text.Length - text.TrimEnd(' ').Length;
                output.Append(text.AsSpan(0, text.Length - keep));
                _pending.Remove(0, text.Length - keep);
                break;
            }
            var spacesBefore = open - text[..open].TrimEnd(' ').Length;
            var (state, length, numbers) = ReadMark(text, open);
            if (state == MarkState.Incomplete)
            {
                output.Append(text.AsSpan(0, open - spacesBefore));
                _pending.Remove(0, open - spacesBefore);
                break;
            }
            if (state == MarkState.NotAMark)
            {
                output.Append(text.AsSpan(0, open + 1));
                _pending.Remove(0, open + 1);
                continue;
            }
            var valid = numbers.Where(sent.Contains).Distinct().ToList();
            Removed += numbers.Count - numbers.Count(sent.Contains);
            foreach (var n in valid.Where(n => !_cited.Contains(n))) _cited.Add(n);
            output.Append(text.AsSpan(0, valid.Count == 0 ? open - spacesBefore : open));
            if (valid.Count == numbers.Count) output.Append(text.AsSpan(open, length));
            else if (valid.Count > 0) output.Append('[').Append(string.Join(", ", valid)).Append(']');
            _pending.Remove(0, open + length);
        }
        return output.ToString();
    }

    /// <summary>Whatever is still held back, at the end of the answer.</summary>
    public string Flush()
    {
        var rest = _pending.ToString();
        _pending.Clear();
        return rest;
    }

    /// <summary>The numbers of every citation mark in a finished text (for answers not streamed through a filter).</summary>
    public static IReadOnlyList<int> NumbersIn(string text)
    {
        var numbers = new List<int>();
        for (var i = text.IndexOf('['); i >= 0; i = text.IndexOf('[', i + 1))
        {
            var (state, _, found) = ReadMark(text, i);
            if (state == MarkState.Complete) numbers.AddRange(found);
        }
        return numbers;
    }

    private enum MarkState { Complete, Incomplete, NotAMark }

    /// <summary>Reads <c>[n(, n)*]</c> at <paramref name="open"/>.</summary>
    private static (MarkState State, int Length, List<int> Numbers) ReadMark(string text, int open)
    {
        var numbers = new List<int>();
        var digits = 0;
        var value = 0;
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (i - open > LongestMark) return (MarkState.NotAMark, 0, numbers);
            if (char.IsAsciiDigit(c))
            {
                if (++digits > 4) return (MarkState.NotAMark, 0, numbers);
                value = value * 10 + (c - '0');
            }
            else if (c is ',' or ' ' && digits > 0 || c == ' ' && digits == 0 && text[i - 1] is ',' or ' ')
            {
                if (digits > 0) numbers.Add(value);
                digits = value = 0;
            }
            else if (c == ']' && digits > 0)
            {
                numbers.Add(value);
                return (MarkState.Complete, i - open + 1, numbers);
            }
            else return (MarkState.NotAMark, 0, numbers);
        }
        return (MarkState.Incomplete, 0, numbers);
    }
}
