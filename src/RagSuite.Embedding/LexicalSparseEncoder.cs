using RagSuite.Contracts.V1;
using RagSuite.Core.Text;

namespace RagSuite.Embedding;

/// <summary>
/// BM25-style sparse vectors: one entry per distinct word (index = <see cref="TermHasher"/> hash,
/// value = how often the word occurs). The retriever turns these counts into BM25 scores with its
/// own collection statistics (document frequencies, average length), which is what keeps the
/// scoring exact while the embedder stays stateless.
/// </summary>
public static class LexicalSparseEncoder
{
    public const string ModelName = "bm25-xxhash32-words-v1";

    public static (SparseVector Vector, int TokenCount) Encode(string text)
    {
        var words = WordTokenizer.Tokenize(text);
        var counts = new Dictionary<uint, float>(words.Count);
        foreach (var word in words)
        {
            var term = TermHasher.Hash(word);
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }

        var vector = new SparseVector();
        foreach (var (term, count) in counts.OrderBy(c => c.Key))
        {
            vector.Indices.Add(term);
            vector.Values.Add(count);
        }
        return (vector, words.Count);
    }
}
