namespace RagSuite.Retrieval.Index;

/// <summary>
/// Combines a dense and a sparse ranking (each best first). Reciprocal rank fusion adds 1 / (k + rank)
/// from each list (k = 60, as in Cormack et al. 2009); weighted fusion adds min-max normalised scores,
/// w·dense + (1 − w)·sparse.
/// </summary>
internal static class HybridFusion
{
    public const int RrfK = 60;

    public static Dictionary<int, float> ReciprocalRank(IEnumerable<KeyValuePair<int, float>> dense, IEnumerable<KeyValuePair<int, float>> sparse)
    {
        var fused = new Dictionary<int, float>();
        foreach (var ranking in new[] { dense, sparse })
        {
            var rank = 0;
            foreach (var (slot, _) in ranking)
            {
                rank++;
                fused[slot] = fused.GetValueOrDefault(slot) + 1f / (RrfK + rank);
            }
        }
        return fused;
    }

    public static Dictionary<int, float> Weighted(IEnumerable<KeyValuePair<int, float>> dense, IEnumerable<KeyValuePair<int, float>> sparse, float denseWeight)
    {
        var fused = new Dictionary<int, float>();
        foreach (var (ranking, weight) in new[] { (dense.ToList(), denseWeight), (sparse.ToList(), 1 - denseWeight) })
        {
            if (ranking.Count == 0) continue;
            var min = ranking.Min(s => s.Value);
            var span = ranking.Max(s => s.Value) - min;
            foreach (var (slot, score) in ranking)
            {
                var normalised = span > 0 ? (score - min) / span : 1f;
                fused[slot] = fused.GetValueOrDefault(slot) + weight * normalised;
            }
        }
        return fused;
    }
}
