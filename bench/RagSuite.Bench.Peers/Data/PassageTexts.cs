using RagSuite.Core.Text;

namespace RagSuite.Bench.Peers.Data;

/// <summary>
/// Distinct real passages cut from BEIR corpora, to embed as the "real text" vector set when the corpora hold fewer
/// documents than the set needs: whole documents first, then single sentences, then runs of 2, 3, … consecutive
/// sentences, then overlapping word windows. Every text is distinct (no duplicate vectors, which would make nearest
/// neighbours ties), and the order is fixed, so a smaller set is a prefix of a larger one.
/// </summary>
public static class PassageTexts
{
    private static readonly (int Words, int Stride)[] WordWindows = [(32, 8), (16, 4), (48, 6), (24, 3)];

    public static List<string> Cut(IReadOnlyList<BeirDocument> corpus, int count)
    {
        var texts = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool Add(string text)
        {
            text = text.Trim();
            if (text.Length > 0 && seen.Add(text)) texts.Add(text);
            return texts.Count >= count;
        }

        var documents = corpus.Select(d => string.IsNullOrEmpty(d.Title) || d.Text.StartsWith(d.Title, StringComparison.Ordinal) ? d.Text : $"{d.Title}. {d.Text}").ToList();
        foreach (var document in documents)
        {
            if (Add(document)) return texts;
        }
        var sentences = documents.Select(d => SentenceSplitter.Split(d).Select(s => s.Of(d)).ToList()).ToList();
        var longest = sentences.Count == 0 ? 0 : sentences.Max(s => s.Count);
        for (var run = 1; run < longest; run++)
        {
            foreach (var document in sentences)
            {
                for (var start = 0; start + run <= document.Count && run < document.Count; start++)
                {
                    if (Add(string.Join(' ', document.Skip(start).Take(run)))) return texts;
                }
            }
        }
        var words = documents.Select(d => d.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToList();
        foreach (var (size, stride) in WordWindows)
        {
            foreach (var document in words)
            {
                for (var start = 0; start + size <= document.Length; start += stride)
                {
                    if (Add(string.Join(' ', document.Skip(start).Take(size)))) return texts;
                }
            }
        }
        throw new InvalidDataException($"The corpora give only {texts.Count:N0} distinct passages; {count:N0} were asked for.");
    }
}
