using RagSuite.Contracts.V1;
using RagSuite.Core.Text;

namespace RagSuite.Generation;

/// <summary>
/// An extractive answer as the pieces it streams in: each chosen sentence followed by its passage's citation mark,
/// cut at the first stop sequence. Passages keep the numbers the caller gave them, even when some were left out.
/// </summary>
public sealed record ExtractiveAnswer(IReadOnlyList<string> Deltas, IReadOnlyList<int> Cited, string FinishReason)
{
    public static ExtractiveAnswer Write(string question, IReadOnlyList<(int Number, SourcePassage Passage)> passages,
        GenerationParameters parameters, int maxSentences, int maxWords)
    {
        var answer = ExtractiveAnswerer.Compose(question, [.. passages.Select(p => p.Passage)], maxSentences, maxWords);
        if (answer.Sentences.Count == 0) return new ExtractiveAnswer([ExtractiveAnswerer.NoAnswer], [], answer.FinishReason);

        var deltas = new List<string>();
        var cited = new List<int>();
        var finish = answer.FinishReason;
        var written = "";
        foreach (var sentence in answer.Sentences)
        {
            var number = passages[sentence.Passage].Number;
            var delta = $"{(written.Length == 0 ? "" : " ")}{sentence.Text} [{number}]";
            if (StopAt(written + delta, parameters) is { } cut)
            {
                if (cut > written.Length) deltas.Add((written + delta)[written.Length..cut]);
                finish = "stop";
                break;
            }
            written += delta;
            if (!cited.Contains(number)) cited.Add(number);
            deltas.Add(delta);
        }
        return new ExtractiveAnswer(deltas, cited, finish);
    }

    /// <summary>Where the first stop sequence starts in <paramref name="text"/>, if any.</summary>
    private static int? StopAt(string text, GenerationParameters parameters)
    {
        var positions = parameters.Stop.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).ToList();
        return positions.Count > 0 ? positions.Min() : null;
    }

    public int WordCount => WordTokenizer.Count(string.Concat(Deltas));
}
