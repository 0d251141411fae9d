using RagSuite.Cli.Evaluation;

namespace RagSuite.Cli.Tests;

public sealed class RankingMetricsTests
{
    private static readonly Dictionary<string, int> Relevant = new() { ["a"] = 3, ["b"] = 1, ["c"] = 2 };

    [Fact]
    public void Ndcg_uses_linear_gains_and_the_ideal_ordering()
    {
        string[] ranking = ["x", "a", "b"];

        var dcg = 3 / Math.Log2(3) + 1 / Math.Log2(4);
        var ideal = 3 / Math.Log2(2) + 2 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Equal(dcg / ideal, RankingMetrics.Ndcg(ranking, Relevant, 10), 10);
        Assert.Equal(1.0, RankingMetrics.Ndcg(["a", "c", "b"], Relevant, 10), 10);
    }

    [Fact]
    public void Reciprocal_rank_is_one_over_the_first_relevant_position_within_the_cutoff()
    {
        Assert.Equal(0.5, RankingMetrics.ReciprocalRank(["x", "b", "a"], Relevant, 10));
        Assert.Equal(0, RankingMetrics.ReciprocalRank(["x", "y", "a"], Relevant, 2));
    }

    [Fact]
    public void Recall_counts_relevant_documents_found_within_the_cutoff()
    {
        Assert.Equal(2.0 / 3, RankingMetrics.Recall(["a", "x", "c"], Relevant, 100), 10);
        Assert.Equal(1.0 / 3, RankingMetrics.Recall(["a", "x", "c"], Relevant, 2), 10);
    }

    [Fact]
    public void Average_precision_averages_precision_at_each_relevant_hit_over_all_relevant()
    {
        // Hits at ranks 1 and 3: (1/1 + 2/3) / 3 relevant.
        Assert.Equal((1 + 2.0 / 3) / 3, RankingMetrics.AveragePrecision(["a", "x", "c"], Relevant, 100), 10);
    }

    [Fact]
    public void A_query_without_relevant_documents_is_refused() =>
        Assert.Throws<ArgumentException>(() => RankingMetrics.Score(["a"], new Dictionary<string, int>()));
}
