using RagSuite.Contracts.V1;

namespace RagSuite.Core.Text;

/// <summary>
/// BM25-style sparse vectors: one entry per distinct word (index = <see cref="TermHasher"/> hash,
/// value = how often the word occurs). The retriever turns these counts into BM25 scores with its
/// own collection statistics (document frequencies, average length), which is what keeps the
/// scoring exact while the embedder stays stateless. It is a pure function of the text, so whoever holds it (the
/// embedder, or a gateway whose embedder is down or has no dense model) encodes a text exactly alike.
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

    /// <summary>An embedder's answer with these sparse vectors only: no dense model, for <paramref name="denseUnavailableReason"/>.</summary>
    public static EmbedResponse Embed(IEnumerable<string> texts, string denseUnavailableReason = "")
    {
        var response = new EmbedResponse { SparseModel = ModelName, DenseUnavailableReason = denseUnavailableReason };
        foreach (var text in texts)
        {
            var (sparse, tokens) = Encode(text);
            response.Embeddings.Add(new Embedding { Sparse = sparse, TokenCount = tokens });
        }
        return response;
    }
}
