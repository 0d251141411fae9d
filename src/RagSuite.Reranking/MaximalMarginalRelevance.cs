using System.Numerics.Tensors;

namespace RagSuite.Reranking;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein, 1998): repeatedly pick the candidate that maximises
/// λ·relevance − (1 − λ)·(its highest similarity to those already picked). λ = 1 orders by relevance alone;
/// lower values push near-duplicates of earlier picks down. Ties keep the input order.
/// </summary>
public static class MaximalMarginalRelevance
{
    /// <param name="relevance">Each candidate's relevance to the query.</param>
    /// <param name="vectors">Each candidate's unit vector, for similarity between candidates.</param>
    /// <param name="lambda">The trade-off, 0 to 1.</param>
    /// <returns>Candidate indices in picking order.</returns>
    public static int[] Order(IReadOnlyList<double> relevance, IReadOnlyList<float[]> vectors, double lambda)
    {
        var n = relevance.Count;
        var picked = new List<int>(n);
        var redundancy = new double[n];
        Array.Fill(redundancy, double.NegativeInfinity);
        var available = Enumerable.Range(0, n).ToList();
        while (available.Count > 0)
        {
            var best = 0;
            var bestValue = double.NegativeInfinity;
            for (var a = 0; a < available.Count; a++)
            {
                var i = available[a];
                var penalty = picked.Count == 0 ? 0 : redundancy[i];
                var value = lambda * relevance[i] - (1 - lambda) * penalty;
                if (value > bestValue)
                {
                    bestValue = value;
                    best = a;
                }
            }
            var chosen = available[best];
            available.RemoveAt(best);
            picked.Add(chosen);
            if (lambda >= 1) continue;
            foreach (var i in available)
            {
                redundancy[i] = Math.Max(redundancy[i], TensorPrimitives.Dot(vectors[i], vectors[chosen]));
            }
        }
        return [.. picked];
    }
}
