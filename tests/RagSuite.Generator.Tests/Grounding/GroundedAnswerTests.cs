using RagSuite.Contracts.V1;

namespace RagSuite.Generator.Tests.Grounding;

/// <summary>Citations checked against the sources sent, groundedness scored and flagged, through the generator host.</summary>
public sealed class GroundedAnswerTests
{
    [Fact]
    public async Task Citations_of_sources_not_sent_are_removed_and_counted()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(1);
        suite[0].AnswerWith(_ => "The Eiffel Tower is 330 metres tall [1][7]. The gate in Berlin was built from 1788 [2, 9]. Tower Bridge opened in 1894 [12].");

        var (answer, result, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("The Eiffel Tower is 330 metres tall [1]. The gate in Berlin was built from 1788 [2]. Tower Bridge opened in 1894.", answer);
        Assert.Equal([1, 2], result.CitedPassages);
        Assert.Equal(3, result.Grounding.CitationsRemoved);
    }

    [Fact]
    public async Task A_supported_answer_scores_high_and_an_unsupported_one_is_flagged_below_the_threshold()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(1, "RagSuite:Generator:Collections:strict:GroundednessThreshold=0.9");

        var (_, supported, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());
        suite[0].AnswerWith(_ => "The Eiffel Tower is 330 metres tall [1]. It was painted gold by Napoleon in 1750 [1]. Visitors receive free chocolate cake [2].");
        var (_, unsupported, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request(collection: "strict"));

        Assert.Equal(1.0, supported.Grounding.Score);
        Assert.Equal("lexical", supported.Grounding.Method);
        Assert.Equal(2, supported.Grounding.Sentences);
        Assert.False(supported.Grounding.BelowThreshold);
        Assert.Equal(0.5, supported.Grounding.Threshold);

        Assert.Equal(3, unsupported.Grounding.Sentences);
        Assert.Equal(1, unsupported.Grounding.SupportedSentences);
        Assert.Equal(0.3333, unsupported.Grounding.Score, 4);
        Assert.True(unsupported.Grounding.BelowThreshold);
        Assert.Equal(0.9, unsupported.Grounding.Threshold);
    }

    [Fact]
    public async Task Sentences_without_a_citation_count_as_unsupported()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(1);
        suite[0].AnswerWith(_ => "The Eiffel Tower in Paris was completed in 1889.\n\nIt is 330 metres tall [1].");

        var (_, result, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal(2, result.Grounding.Sentences);
        Assert.Equal(1, result.Grounding.SupportedSentences);
    }

    [Fact]
    public async Task Extractive_answers_are_scored_too()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(0);

        var (_, result, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("extractive", result.Mode);
        Assert.Equal(1.0, result.Grounding.Score);
    }
}
