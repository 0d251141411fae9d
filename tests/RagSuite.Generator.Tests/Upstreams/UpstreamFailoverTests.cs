using RagSuite.Testing.OpenAi;

namespace RagSuite.Generator.Tests.Upstreams;

/// <summary>Answers through OpenAI-protocol upstreams, and what each way an upstream can fail turns into.</summary>
public sealed class UpstreamFailoverTests
{
    [Fact]
    public async Task Answer_streams_token_by_token_from_the_upstream_with_lineage()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(1);

        var (answer, result, deltas) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("The Eiffel Tower in Paris was completed in 1889. [1] The Brandenburg Gate in Berlin was built from 1788 to 1791. [2]", answer);
        Assert.True(deltas > 10, $"the answer came in {deltas} pieces; an upstream streams it a token at a time");
        Assert.Equal("llm", result.Mode);
        Assert.Equal("a", result.Upstream);
        Assert.Equal("model-a", result.Model);
        Assert.Equal("grounded-qa@1", result.Template);
        Assert.Equal("stop", result.FinishReason);
        Assert.Equal([1, 2], result.CitedPassages);
        Assert.Equal(3, result.SourcesSent);
        Assert.Equal(0, result.SourcesDropped);
        Assert.True(result.PromptTokens > 0 && result.CompletionTokens > 0);
        Assert.Equal("answered", Assert.Single(result.Attempts).Outcome);
        Assert.Empty(result.Notes);
    }

    [Theory]
    [InlineData("fail")]
    [InlineData("stall")]
    [InlineData("empty")]
    public async Task Failure_before_the_first_token_falls_over_to_the_next_upstream(string failure)
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(2, GeneratorWithUpstreams.ShortTimeouts(0));
        suite[0].Behave(failure switch
        {
            "fail" => new UpstreamBehavior.Fail(503),
            "stall" => new UpstreamBehavior.Stall(),
            _ => new UpstreamBehavior.Answer(),
        });
        if (failure == "empty") suite[0].AnswerWith(_ => "");

        var (answer, result, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("b", result.Upstream);
        Assert.Contains("Eiffel Tower", answer);
        Assert.Equal(["failed", "answered"], result.Attempts.Select(a => a.Outcome));
        var reason = result.Attempts[0].Reason;
        Assert.Contains(failure switch { "fail" => "HTTP 503", "stall" => "no first token within 0.5 s", _ => "without writing any text" }, reason);
        Assert.DoesNotContain("127.0.0.1", reason);
        Assert.Contains(result.Notes, n => n.StartsWith("Answered by 'b'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("drop")]
    [InlineData("stall")]
    public async Task Failure_after_the_first_token_ends_the_stream_with_an_error(string failure)
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(2, GeneratorWithUpstreams.ShortTimeouts(0));
        suite[0].Behave(failure == "drop" ? new UpstreamBehavior.DropAfter(3) : new UpstreamBehavior.StallAfter(3));

        var (answer, result, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("The Eiffel Tower ", answer);
        Assert.Equal("error", result.FinishReason);
        Assert.Equal("a", result.Upstream);
        Assert.Contains("broke off", result.Error);
        Assert.Contains(failure == "drop" ? "stream broke off" : "no token for 0.5 s", result.Error);
        Assert.Empty(suite[1].Requests);
    }

    [Fact]
    public async Task A_buffered_answer_that_breaks_off_restarts_on_the_next_upstream()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(2);
        suite[0].Behave(new UpstreamBehavior.DropAfter(3));

        var (answer, result, deltas) = await suite.GenerateAsync(GeneratorWithUpstreams.Request(buffered: true));

        Assert.Equal(1, deltas);
        Assert.StartsWith("The Eiffel Tower in Paris was completed in 1889.", answer);
        Assert.Equal("b", result.Upstream);
        Assert.Equal("stop", result.FinishReason);
        Assert.Equal(["failed_midway", "answered"], result.Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task With_every_upstream_down_the_answer_is_extractive_and_says_why()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(2);
        suite[0].Behave(new UpstreamBehavior.Fail(500));
        suite[1].Behave(new UpstreamBehavior.Fail(429));

        var (answer, result, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("extractive", result.Mode);
        Assert.Contains("330 metres tall", answer);
        Assert.Contains(1, result.CitedPassages);
        var note = Assert.Single(result.Notes);
        Assert.Contains("no LLM upstream answered", note);
        Assert.Contains("'a': it answered HTTP 500", note);
        Assert.Contains("'b': it answered HTTP 429", note);
    }

    [Fact]
    public async Task Without_upstreams_the_answer_is_extractive_and_says_so()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(0);

        var (_, result, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("extractive", result.Mode);
        Assert.Equal("Extractive answer: no LLM upstream is configured.", Assert.Single(result.Notes));
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_and_closes_after_a_successful_trial()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(2);
        suite[0].Behave(new UpstreamBehavior.Fail(503));

        // Minimum throughput 2 at a failure ratio of 0.5: two failures open the circuit.
        for (var i = 0; i < 2; i++) await suite.GenerateAsync(GeneratorWithUpstreams.Request());
        var sentWhileClosed = suite[0].Requests.Count;
        var (_, open, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal(2, sentWhileClosed);
        Assert.Equal(sentWhileClosed, suite[0].Requests.Count);
        Assert.Contains("circuit is open", open.Attempts[0].Reason);
        Assert.Equal("b", open.Upstream);
        Assert.Equal("open", (await suite.Client.GetInfoAsync(new())).Upstreams[0].Circuit);

        suite[0].Behave(new UpstreamBehavior.Answer());
        await Task.Delay(TimeSpan.FromSeconds(0.7));
        var (_, trial, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("a", trial.Upstream);
        Assert.Equal("closed", (await suite.Client.GetInfoAsync(new())).Upstreams[0].Circuit);
    }

    [Fact]
    public async Task Mode_naming_an_upstream_uses_only_that_upstream()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(2);
        var request = GeneratorWithUpstreams.Request();
        request.Mode = "b";

        var (_, result, _) = await suite.GenerateAsync(request);

        Assert.Equal("b", result.Upstream);
        Assert.Empty(suite[0].Requests);
    }
}
