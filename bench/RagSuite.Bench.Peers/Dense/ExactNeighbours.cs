using System.Numerics.Tensors;
using RagSuite.Bench.Peers.Data;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>
/// The true top k of every query by inner product (cosine, on unit vectors), by brute force: the reference that
/// recall@k is measured against. Ties go to the lower row, which for distinct real or noisy vectors never matters.
/// </summary>
public static class ExactNeighbours
{
    public static int[][] Of(VectorSet documents, VectorSet queries, int k)
    {
        var result = new int[queries.Count][];
        Parallel.For(0, queries.Count, q =>
        {
            var query = queries[q];
            var best = new (float Score, int Row)[k];
            var filled = 0;
            for (var row = 0; row < documents.Count; row++)
            {
                var score = TensorPrimitives.Dot(query, documents[row]);
                if (filled == k && score <= best[k - 1].Score) continue;
                // Insertion into the short sorted list, best first.
                var at = filled < k ? filled++ : k - 1;
                while (at > 0 && best[at - 1].Score < score)
                {
                    best[at] = best[at - 1];
                    at--;
                }
                best[at] = (score, row);
            }
            result[q] = [.. best.Take(filled).Select(b => b.Row)];
        });
        return result;
    }

    /// <summary>Mean share of the true top k that an engine's top k found.</summary>
    public static double Recall(IReadOnlyList<IReadOnlyList<string>> found, int[][] truth, int k)
    {
        double sum = 0;
        for (var q = 0; q < truth.Length; q++)
        {
            var expected = truth[q].Take(k).Select(DenseIds.Of).ToHashSet(StringComparer.Ordinal);
            sum += expected.Count == 0 ? 1 : (double)found[q].Take(k).Count(expected.Contains) / expected.Count;
        }
        return truth.Length == 0 ? double.NaN : sum / truth.Length;
    }
}
