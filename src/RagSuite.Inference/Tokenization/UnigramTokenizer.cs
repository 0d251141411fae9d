using System.Text;
using System.Text.Json;

namespace RagSuite.Inference.Tokenization;

/// <summary>
/// The SentencePiece-unigram segmentation Universal Sentence Encoder Lite was trained with, reproducing
/// its TF.js reference id for id: NFKC, a leading U+2581 and U+2581 for every space, then a Viterbi pass
/// over code points that maximises the sum of piece scores. Its quirks are kept on purpose because the
/// model's vectors depend on them: a position whose best score is exactly 0 counts as unreached, ties go
/// to the later (shorter) piece, a character no piece covers becomes the unknown id 0 with score 0, and
/// runs of unknowns merge into one.
/// </summary>
public sealed class UnigramTokenizer : IModelTokenizer
{
    private const char Separator = '\u2581';
    private const int ReservedPieces = 6;

    private readonly Node _root = new();
    private readonly int[] _pieceUtf16Lengths;

    public UnigramTokenizer(IReadOnlyList<(string Piece, double Score)> pieces, int maxTokens)
    {
        MaxTokens = maxTokens;
        _pieceUtf16Lengths = [.. pieces.Select(p => p.Piece.Length)];
        for (var i = ReservedPieces; i < pieces.Count; i++) Insert(pieces[i].Piece, pieces[i].Score, i);
    }

    public int MaxTokens { get; }

    public long PaddingId => 0;

    /// <summary>Reads the vocabulary as the TF.js package ships it: a JSON array of [piece, score] (a null score counts as 0).</summary>
    public static UnigramTokenizer Load(string vocabJsonPath, int maxTokens)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(vocabJsonPath));
        var pieces = new List<(string, double)>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var score = entry[1].ValueKind == JsonValueKind.Number ? entry[1].GetDouble() : 0;
            pieces.Add((entry[0].GetString() ?? "", score));
        }
        return new UnigramTokenizer(pieces, maxTokens);
    }

    public TokenizedText Encode(string text)
    {
        var ids = Tokenize(text);
        var truncated = ids.Count > MaxTokens;
        var kept = truncated ? ids.GetRange(0, MaxTokens) : ids;
        return new TokenizedText([.. kept.Select(i => (long)i)], new long[kept.Count], truncated);
    }

    public TokenizedText EncodePair(string query, string passage) =>
        throw new NotSupportedException("USE-lite is a sentence encoder; it does not score (query, passage) pairs.");

    /// <summary>Every piece id of <paramref name="text"/>, before the model's token limit.</summary>
    public List<int> Tokenize(string text)
    {
        var normalized = Normalize(text);
        if (normalized.Length == 0) return [];
        var symbols = CodePoints(Separator + normalized.Replace(' ', Separator));
        var n = symbols.Length;

        // arrivals[end] lists (start, piece length, score, id) in ascending start order, as the reference iterates them.
        var arrivals = new List<(int Length, double Score, int Id)>?[n + 1];
        for (var start = 0; start < n; start++)
        {
            var matched = false;
            var node = _root.Children.GetValueOrDefault(symbols[start]);
            for (var i = start; i < n && node is not null; i++)
            {
                if (node.Id >= 0)
                {
                    (arrivals[i + 1] ??= []).Add((i + 1 - start, node.Score, node.Id));
                    matched = true;
                }
                node = i + 1 < n ? node.Children.GetValueOrDefault(symbols[i + 1]) : null;
            }
            if (!matched) (arrivals[start + 1] ??= []).Add((1, 0, 0));
        }

        var best = new double[n + 1];
        var words = new int[n + 1];
        for (var end = 0; end <= n; end++)
        {
            if (arrivals[end] is not { } candidates) continue;
            foreach (var (length, score, id) in candidates)
            {
                var total = score + best[end - length];
                if (best[end] == 0 || total >= best[end])
                {
                    best[end] = total;
                    words[end] = id;
                }
            }
        }

        // Walk back from the end; the reference steps back by the piece's UTF-16 length.
        var reversed = new List<int>();
        for (var position = n; position > 0; position -= _pieceUtf16Lengths[words[position]])
        {
            reversed.Add(words[position]);
        }
        var ids = new List<int>(reversed.Count);
        for (var i = reversed.Count - 1; i >= 0; i--)
        {
            if (reversed[i] == 0 && i + 1 < reversed.Count && reversed[i + 1] == 0) continue;
            ids.Add(reversed[i]);
        }
        return ids;
    }

    private void Insert(string piece, double score, int id)
    {
        var node = _root;
        foreach (var symbol in CodePoints(piece))
        {
            if (!node.Children.TryGetValue(symbol, out var child)) node.Children[symbol] = child = new Node();
            node = child;
        }
        node.Id = id;
        node.Score = score;
    }

    private static string Normalize(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // A lone surrogate (possible only in text that never crossed UTF-8) stops normalisation: make it U+FFFD.
            var repaired = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsSurrogatePair(text, i)) repaired.Append(text, i++, 2);
                else repaired.Append(char.IsSurrogate(text[i]) ? '\uFFFD' : text[i]);
            }
            return repaired.ToString().Normalize(NormalizationForm.FormKC);
        }
    }

    private static int[] CodePoints(string text)
    {
        var points = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogatePair(text, i)) points.Add(char.ConvertToUtf32(text[i], text[++i]));
            else points.Add(text[i]);
        }
        return [.. points];
    }

    private sealed class Node
    {
        public Dictionary<int, Node> Children { get; } = [];

        public int Id { get; set; } = -1;

        public double Score { get; set; }
    }
}
