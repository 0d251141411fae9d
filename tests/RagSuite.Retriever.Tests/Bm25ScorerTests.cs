using RagSuite.Retrieval.Index;

namespace RagSuite.Retriever.Tests;

public sealed class Bm25ScorerTests
{
    [Fact]
    public void Score_matches_the_Okapi_BM25_formula()
    {
        const float k1 = 0.9f, b = 0.4f;
        var scorer = new Bm25Scorer(k1, b);
        scorer.Add(0, Points.Terms("wind tunnel wind"));
        scorer.Add(1, Points.Terms("tunnel flow over a wing"));
        scorer.Add(2, Points.Terms("heat transfer"));

        var scores = scorer.Score(Points.Terms("wind tunnel"), _ => true);

        double avgdl = (3 + 5 + 2) / 3.0;
        double Idf(int df) => Math.Log(1 + (3 - df + 0.5) / (df + 0.5));
        double Tf(double tf, double dl) => tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl));
        Assert.Equal(Idf(1) * Tf(2, 3) + Idf(2) * Tf(1, 3), scores[0], 5);
        Assert.Equal(Idf(2) * Tf(1, 5), scores[1], 5);
        Assert.False(scores.ContainsKey(2));
    }

    [Fact]
    public void Removed_points_no_longer_count_in_scores_or_statistics()
    {
        var scorer = new Bm25Scorer(0.9f, 0.4f);
        var vector = Points.Terms("wind tunnel");
        scorer.Add(0, vector);
        scorer.Add(1, Points.Terms("wind"));
        scorer.Remove(0, vector);

        var scores = scorer.Score(Points.Terms("tunnel wind"), _ => true);

        Assert.Equal(1, scorer.Count);
        Assert.Equal([1], scores.Keys);
        Assert.Equal(Math.Log(1 + 0.5 / 1.5), scores[1], 5); // N = 1, df = 1, tf = 1, dl = avgdl
    }

    [Fact]
    public void Query_term_counts_weight_the_score()
    {
        var scorer = new Bm25Scorer(0.9f, 0.4f);
        scorer.Add(0, Points.Terms("lift drag"));
        scorer.Add(1, Points.Terms("thrust"));

        var once = scorer.Score(Points.Terms("lift"), _ => true)[0];
        var twice = scorer.Score(Points.Terms("lift lift"), _ => true)[0];

        Assert.Equal(2 * once, twice, 5);
    }
}
