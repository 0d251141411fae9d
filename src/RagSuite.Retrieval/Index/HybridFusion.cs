namespace RagSuite.Retrieval.Index;

/// <summary>
/// Combines a dense and a sparse ranking (each best first), giving the dense one the share w. Reciprocal rank
/// fusion adds 2w / (k + rank) from the dense list and 2(1 − w) / (k + rank) from the sparse one (w = 0.5 is
/// plain RRF, Cormack et al. 2009); weighted fusion adds min-max normalised scores, w·dense + (1 − w)·sparse.
/// </summary>
internal static class HybridFusion
{
    public static Dictionary<int, float> ReciprocalRank(IEnumerable<KeyValuePair<int, float>> dense, IEnumerable<KeyValuePair<int, float>> sparse,
        int k, float denseWeight)
    {
        var fused = new Dictionary<int, float>();
        foreach (var (ranking, weight) in new[] { (dense, 2 * denseWeight), (sparse, 2 * (1 - denseWeight)) })
        {
            var rank = 0;
            foreach (var (slot, _) in ranking)
            {
                rank++;
                fused[slot] = fused.GetValueOrDefault(slot) + weight / (k + rank);
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
