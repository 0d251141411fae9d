namespace RagSuite.Cli.Evaluation;

/// <summary>
/// The standard ranking metrics of one query, as trec_eval and BEIR compute them: nDCG@10 with linear
/// gains, reciprocal rank of the first relevant document within 10, recall at 100, and average
/// precision over the top 100.
/// </summary>
public static class RankingMetrics
{
    public sealed record Scores(double Ndcg10, double Mrr10, double Recall100, double Map100);

    public static Scores Score(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> relevant)
    {
        if (relevant.Count == 0) throw new ArgumentException("A query needs at least one relevant document.", nameof(relevant));
        return new Scores(Ndcg(ranking, relevant, 10), ReciprocalRank(ranking, relevant, 10), Recall(ranking, relevant, 100), AveragePrecision(ranking, relevant, 100));
    }

    public static double Ndcg(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> relevant, int k)
    {
        var dcg = ranking.Take(k).Select((id, i) => relevant.GetValueOrDefault(id) / Math.Log2(i + 2)).Sum();
        var ideal = relevant.Values.OrderDescending().Take(k).Select((gain, i) => gain / Math.Log2(i + 2)).Sum();
        return ideal > 0 ? dcg / ideal : 0;
    }

    public static double ReciprocalRank(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> relevant, int k)
    {
        for (var i = 0; i < Math.Min(k, ranking.Count); i++)
        {
            if (relevant.ContainsKey(ranking[i])) return 1.0 / (i + 1);
        }
        return 0;
    }

    public static double Recall(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> relevant, int k) =>
        (double)ranking.Take(k).Count(relevant.ContainsKey) / relevant.Count;

    public static double AveragePrecision(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> relevant, int k)
    {
        double hits = 0, sum = 0;
        for (var i = 0; i < Math.Min(k, ranking.Count); i++)
        {
            if (!relevant.ContainsKey(ranking[i])) continue;
            hits++;
            sum += hits / (i + 1);
        }
        return sum / relevant.Count;
    }
}
