namespace RagSuite.Core.Text;

/// <summary>
/// Lexical word tokens: maximal runs of letters and digits, lower-cased. This is the unit BM25,
/// the lexical reranker and extractive answers count in; on ASCII text it equals <c>[a-z0-9]+</c>
/// over the lower-cased text, the tokenisation the reference BM25 figures were measured with.
/// </summary>
public static class WordTokenizer
{
    /// <summary>Where each word starts and how long it is, in text order.</summary>
    public static List<(int Start, int Length)> Spans(ReadOnlySpan<char> text)
    {
        var spans = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsLetterOrDigit(text[i]))
            {
                if (start < 0) start = i;
            }
            else if (start >= 0)
            {
                spans.Add((start, i - start));
                start = -1;
            }
        }
        if (start >= 0) spans.Add((start, text.Length - start));
        return spans;
    }

    /// <summary>The lower-cased words of <paramref name="text"/>, in order, repeats kept.</summary>
    public static List<string> Tokenize(string text)
    {
        var spans = Spans(text);
        var words = new List<string>(spans.Count);
        foreach (var (start, length) in spans)
        {
            words.Add(text.Substring(start, length).ToLowerInvariant());
        }
        return words;
    }

    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isWord = char.IsLetterOrDigit(c);
            if (isWord && !inWord) count++;
            inWord = isWord;
        }
        return count;
    }
}
