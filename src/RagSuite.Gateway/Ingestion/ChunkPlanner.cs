using RagSuite.Core.Text;

namespace RagSuite.Gateway.Ingestion;

/// <summary>
/// Cuts a document into overlapping chunks of at most <c>maxTokens</c> tokens that begin and end on
/// sentence boundaries. A sentence longer than a whole chunk is cut at token boundaries instead.
/// Each chunk after the first repeats the trailing sentences of the one before, up to
/// <c>overlapTokens</c>, so a fact that straddles a boundary is whole in one of them. Tokens are
/// estimated as words plus punctuation marks, close to what a subword tokenizer counts on prose.
/// </summary>
public static class ChunkPlanner
{
    public const string Version = "sentence-window-v1";

    public sealed record Chunk(int Index, int Start, int End, int Tokens);

    private readonly record struct Piece(int Start, int End, int Tokens);

    public static List<Chunk> Plan(string text, int maxTokens, int overlapTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        var chunks = new List<Chunk>();
        var current = new List<Piece>();
        var tokens = 0;
        foreach (var piece in Pieces(text, maxTokens))
        {
            if (tokens + piece.Tokens > maxTokens && current.Count > 0)
            {
                Emit(chunks, current);
                current = Overlap(current, overlapTokens, maxTokens - piece.Tokens);
                tokens = current.Sum(p => p.Tokens);
            }
            current.Add(piece);
            tokens += piece.Tokens;
        }
        if (current.Count > 0) Emit(chunks, current);
        return chunks;
    }

    /// <summary>Tokens as this planner counts them: each run of letters or digits, and each other visible character.</summary>
    public static int CountTokens(ReadOnlySpan<char> text) => TokenEnds(text).Count;

    private static void Emit(List<Chunk> chunks, List<Piece> pieces) =>
        chunks.Add(new Chunk(chunks.Count, pieces[0].Start, pieces[^1].End, pieces.Sum(p => p.Tokens)));

    // The trailing pieces of the chunk just emitted that fit in the overlap budget and leave room for
    // the next piece; never all of them, so every chunk moves forward.
    private static List<Piece> Overlap(List<Piece> previous, int overlapTokens, int room)
    {
        var budget = Math.Min(overlapTokens, room);
        var kept = new List<Piece>();
        var tokens = 0;
        for (var i = previous.Count - 1; i > 0; i--)
        {
            if (tokens + previous[i].Tokens > budget) break;
            kept.Insert(0, previous[i]);
            tokens += previous[i].Tokens;
        }
        return kept;
    }

    private static IEnumerable<Piece> Pieces(string text, int maxTokens)
    {
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            var ends = TokenEnds(text.AsSpan(sentence.Start, sentence.Length));
            if (ends.Count <= maxTokens)
            {
                if (ends.Count > 0) yield return new Piece(sentence.Start, sentence.End, ends.Count);
                continue;
            }
            var start = sentence.Start;
            for (var taken = 0; taken < ends.Count; taken += maxTokens)
            {
                var last = Math.Min(taken + maxTokens, ends.Count) - 1;
                var end = sentence.Start + ends[last];
                while (start < end && char.IsWhiteSpace(text[start])) start++;
                yield return new Piece(start, end, last - taken + 1);
                start = end;
            }
        }
    }

    // End offset of every token in the span.
    private static List<int> TokenEnds(ReadOnlySpan<char> text)
    {
        var ends = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i])) continue;
            if (char.IsLetterOrDigit(text[i]))
            {
                while (i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])) i++;
            }
            ends.Add(i + 1);
        }
        return ends;
    }
}
