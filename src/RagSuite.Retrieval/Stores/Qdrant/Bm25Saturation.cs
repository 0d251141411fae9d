using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// BM25's term-frequency part, applied before a point goes to Qdrant, whose <c>idf</c> modifier supplies the other part
/// server-side: the stored weight of a term is tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen)). Qdrant keeps no document
/// length statistics, so avglen is a constant recorded with the collection (as Qdrant's own BM25 sparse models do),
/// not the live average the embedded store uses; a collection whose chunks run much shorter or longer than it scores
/// length a little differently than the embedded store would.
/// </summary>
internal static class Bm25Saturation
{
    /// <summary>The average length (in counted terms) new collections record: Qdrant's BM25 models assume 256 too.</summary>
    public const float DefaultAverageLength = 256f;

    public static QdrantSparseVector Apply(SparseVector counts, float k1, float b, float averageLength)
    {
        float length = 0;
        foreach (var count in counts.Values) length += count;
        var norm = k1 * (1 - b + b * length / averageLength);
        var values = new float[counts.Values.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var tf = counts.Values[i];
            values[i] = tf > 0 ? tf * (k1 + 1) / (tf + norm) : 0; // 0/0 when b = 1 and every count is 0
        }
        return new QdrantSparseVector([.. counts.Indices], values);
    }
}
