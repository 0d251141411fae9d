using RagSuite.Contracts.V1;
using RagSuite.Core.Text;

namespace RagSuite.Generation;

/// <summary>
/// Composes an answer from the passages' own sentences. Each sentence scores the IDF (over all the
/// passages' sentences) of the question's content words it contains, divided by the square root of
/// the question's total IDF and discounted by its passage's rank (1 / (1 + 0.2·rank)). The best
/// sentences, not repeating one another, are joined in score order, each followed by its passage's
/// citation mark [n]. Deterministic: temperature and sampling parameters do not apply.
/// </summary>
public static class ExtractiveAnswerer
{
    public const string Mode = "extractive";
    public const string NoAnswer = "The retrieved passages do not answer this question.";
    private const double RankDiscount = 0.2;
    private const double DuplicateOverlap = 0.8;

    public sealed record Sentence(int Passage, string Text, double Score);

    public sealed record Answer(IReadOnlyList<Sentence> Sentences, string FinishReason);

    public static Answer Compose(string question, IReadOnlyList<SourcePassage> passages, int maxSentences, int maxWords)
    {
        var queryTerms = StopWords.ContentTerms(question);
        var candidates = passages
            .SelectMany((p, rank) => SentenceSplitter.Split(p.Text).Select(span => (Passage: rank, Text: span.Of(p.Text))))
            .Select(s => (s.Passage, s.Text, Words: WordTokenizer.Tokenize(s.Text).ToHashSet(StringComparer.Ordinal)))
            .ToList();
        if (queryTerms.Count == 0 || candidates.Count == 0) return new Answer([], "no_answer");

        var idf = queryTerms.ToDictionary(t => t, t =>
        {
            var containing = candidates.Count(c => c.Words.Contains(t));
            return Math.Log(1 + (candidates.Count - containing + 0.5) / (containing + 0.5));
        });
        var norm = Math.Sqrt(idf.Values.Sum());

        var ranked = candidates
            .Select(c => (c.Passage, c.Text, c.Words,
                Score: queryTerms.Where(c.Words.Contains).Sum(t => idf[t]) / norm / (1 + RankDiscount * c.Passage)))
            .Where(c => c.Score > 0)
            .OrderByDescending(c => c.Score).ThenBy(c => c.Passage);

        var chosen = new List<(Sentence Sentence, HashSet<string> Words)>();
        var words = 0;
        var finish = "stop";
        foreach (var candidate in ranked)
        {
            if (chosen.Count == maxSentences) break;
            if (chosen.Any(c => Overlap(c.Words, candidate.Words) > DuplicateOverlap)) continue;
            var length = WordTokenizer.Count(candidate.Text);
            if (words + length > maxWords)
            {
                if (chosen.Count == 0)
                {
                    chosen.Add((new Sentence(candidate.Passage, FirstWords(candidate.Text, maxWords), candidate.Score), candidate.Words));
                }
                finish = "length";
                break;
            }
            words += length;
            chosen.Add((new Sentence(candidate.Passage, candidate.Text, candidate.Score), candidate.Words));
        }
        return chosen.Count == 0 ? new Answer([], "no_answer") : new Answer([.. chosen.Select(c => c.Sentence)], finish);
    }

    private static double Overlap(HashSet<string> a, HashSet<string> b) =>
        a.Count == 0 || b.Count == 0 ? 0 : (double)a.Intersect(b).Count() / Math.Min(a.Count, b.Count);

    private static string FirstWords(string text, int count)
    {
        var spans = WordTokenizer.Spans(text);
        return count >= spans.Count ? text : text[..(spans[count - 1].Start + spans[count - 1].Length)] + " …";
    }
}
