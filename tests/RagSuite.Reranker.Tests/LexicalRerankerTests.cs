using RagSuite.Reranking;

namespace RagSuite.Reranker.Tests;

public sealed class LexicalRerankerTests
{
    [Fact]
    public void Passage_covering_every_query_word_outranks_one_covering_some()
    {
        var scores = LexicalReranker.Score("boundary layer separation on swept wings",
        [
            "Boundary layer theory is old.",
            "Separation of the boundary layer on swept wings was measured in the tunnel.",
            "Swept wings reduce drag.",
        ]);

        Assert.Equal(1, Array.IndexOf(scores, scores.Max()));
    }

    [Fact]
    public void Query_words_close_together_score_higher_than_the_same_words_far_apart()
    {
        var near = "The heat transfer coefficient was measured at the leading edge of the plate in every run.";
        var far = "The heat was measured at the leading edge of the plate; much later the transfer coefficient was estimated.";

        var scores = LexicalReranker.Score("heat transfer coefficient", [far, near]);

        Assert.True(scores[1] > scores[0], $"near {scores[1]} should beat far {scores[0]}");
    }

    [Fact]
    public void Proximity_is_present_words_over_the_shortest_window_holding_them()
    {
        Assert.Equal(1.0, LexicalReranker.Proximity(["a", "heat", "transfer", "b"], ["heat", "transfer"]));
        Assert.Equal(2.0 / 3, LexicalReranker.Proximity(["heat", "x", "y", "transfer", "z", "heat"], ["heat", "transfer"])); // "transfer z heat"
        Assert.Equal(0, LexicalReranker.Proximity(["heat", "only"], ["heat"]));
    }

    [Fact]
    public void Stop_words_alone_do_not_decide_the_order()
    {
        var scores = LexicalReranker.Score("what is the flutter speed", ["What is the answer? It is the one.", "Flutter speed rises with stiffness."]);

        Assert.True(scores[1] > scores[0]);
    }

    [Fact]
    public void No_shared_words_scores_zero()
    {
        Assert.Equal([0.0], LexicalReranker.Score("supersonic", ["Plants need light."]));
    }
}
