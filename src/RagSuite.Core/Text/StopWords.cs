using System.Collections.Frozen;

namespace RagSuite.Core.Text;

/// <summary>
/// Common English function words. Answer extraction and lexical reranking ignore them when they
/// look for the question's content words; BM25 retrieval keeps every word (its IDF already
/// discounts them, and the reference figures were measured that way).
/// </summary>
public static class StopWords
{
    private static readonly FrozenSet<string> English = new[]
    {
        "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because",
        "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
        "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
        "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
        "me", "more", "most", "my", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our",
        "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
        "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
        "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
        "will", "with", "would", "you", "your", "yours",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsStopWord(string lowerCaseWord) => English.Contains(lowerCaseWord);

    /// <summary>The distinct content words of <paramref name="text"/>, or all its distinct words if it has no content words.</summary>
    public static IReadOnlyList<string> ContentTerms(string text)
    {
        var words = WordTokenizer.Tokenize(text).Distinct(StringComparer.Ordinal).ToList();
        var content = words.Where(w => !IsStopWord(w)).ToList();
        return content.Count > 0 ? content : words;
    }
}
