using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Core.Text;

namespace RagSuite.Retriever.Tests;

/// <summary>Builds points and queries the way the embedder would: term counts keyed by term hash.</summary>
internal static class Points
{
    public static SparseVector Terms(string text)
    {
        var vector = new SparseVector();
        foreach (var group in WordTokenizer.Tokenize(text).GroupBy(TermHasher.Hash).OrderBy(g => g.Key))
        {
            vector.Indices.Add(group.Key);
            vector.Values.Add(group.Count());
        }
        return vector;
    }

    public static DocumentWrite Document(string id, params string[] chunks) => Document(id, null, chunks);

    public static DocumentWrite Document(string id, Struct? metadata, params string[] chunks)
    {
        var write = new DocumentWrite { DocumentId = id, ContentHash = $"hash-{string.Join('|', chunks).GetHashCode():x}" };
        for (var i = 0; i < chunks.Length; i++)
        {
            write.Points.Add(new Point
            {
                Id = $"{id}#{i}",
                DocumentId = id,
                ChunkIndex = i,
                Text = chunks[i],
                Metadata = metadata ?? new Struct(),
                Sparse = Terms(chunks[i]),
            });
        }
        return write;
    }

    public static DocumentWrite WithDense(this DocumentWrite write, params float[][] vectors)
    {
        for (var i = 0; i < vectors.Length; i++) write.Points[i].Dense.Add(vectors[i]);
        return write;
    }

    public static SearchRequest Search(string collection, string query, int topK = 10) =>
        new() { Collection = collection, SparseQuery = Terms(query), TopK = topK };
}
