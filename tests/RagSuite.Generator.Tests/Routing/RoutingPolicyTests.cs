using RagSuite.Testing.OpenAi;

namespace RagSuite.Generator.Tests.Routing;

/// <summary>Each routing policy, driven through the generator host against test upstreams.</summary>
public sealed class RoutingPolicyTests
{
    private static async Task<List<string>> UpstreamsOf(GeneratorWithUpstreams suite, int count, Func<int, Contracts.V1.GenerateRequest>? request = null)
    {
        var used = new List<string>();
        for (var i = 0; i < count; i++) used.Add((await suite.GenerateAsync(request?.Invoke(i) ?? GeneratorWithUpstreams.Request())).Result.Upstream);
        return used;
    }

    [Fact]
    public async Task Primary_with_fallback_always_starts_with_the_first_upstream()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(3);

        Assert.Equal(["a", "a", "a", "a"], await UpstreamsOf(suite, 4));
    }

    [Fact]
    public async Task Round_robin_takes_turns_and_falls_over_in_order()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(3, "RagSuite:Generator:Routing:Policy=round-robin");

        Assert.Equal(["a", "b", "c", "a", "b", "c"], await UpstreamsOf(suite, 6));

        suite[0].Behave(new UpstreamBehavior.Fail());
        Assert.Equal(["b", "b", "c"], await UpstreamsOf(suite, 3));
    }

    [Fact]
    public async Task Least_latency_prefers_the_upstream_whose_first_token_comes_soonest()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(2, "RagSuite:Generator:Routing:Policy=least-latency",
            "RagSuite:Generator:Routing:LatencySmoothing=1");
        suite[0].Behave(new UpstreamBehavior.Answer(FirstTokenDelay: TimeSpan.FromMilliseconds(600)));

        // a is tried first (no average yet, configured order), is slow; b, new, then measures faster.
        var first = await UpstreamsOf(suite, 1);
        suite[0].Behave(new UpstreamBehavior.Fail());
        var second = await UpstreamsOf(suite, 1);
        suite[0].Behave(new UpstreamBehavior.Answer(FirstTokenDelay: TimeSpan.FromMilliseconds(600)));

        Assert.Equal(["a"], first);
        Assert.Equal(["b"], second);
        Assert.Equal(["b", "b", "b"], await UpstreamsOf(suite, 3));
    }

    [Fact]
    public async Task Rules_route_by_collection_by_hint_and_by_prompt_length()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(3,
            "RagSuite:Generator:Routing:Policy=rules",
            "RagSuite:Generator:Routing:Rules:0:Collection=legal", "RagSuite:Generator:Routing:Rules:0:Upstreams:0=c",
            "RagSuite:Generator:Routing:Rules:1:Hint=fast", "RagSuite:Generator:Routing:Rules:1:Upstreams:0=b",
            "RagSuite:Generator:Routing:Rules:2:MinPromptTokens=2000", "RagSuite:Generator:Routing:Rules:2:Upstreams:0=c",
            "RagSuite:Generator:Routing:Rules:2:Upstreams:1=b");

        var byCollection = GeneratorWithUpstreams.Request(collection: "legal");
        var byHint = GeneratorWithUpstreams.Request();
        byHint.RouteHint = "fast";
        var longPrompt = GeneratorWithUpstreams.Request();
        longPrompt.Passages.Add(new Contracts.V1.SourcePassage { Id = "long", Text = string.Join(" ", Enumerable.Repeat("Paris is the capital of France.", 400)) });

        Assert.Equal("c", (await suite.GenerateAsync(byCollection)).Result.Upstream);
        Assert.Equal("b", (await suite.GenerateAsync(byHint)).Result.Upstream);
        Assert.Equal("c", (await suite.GenerateAsync(longPrompt)).Result.Upstream);
        Assert.Equal("a", (await suite.GenerateAsync(GeneratorWithUpstreams.Request())).Result.Upstream);

        // Within a rule, fallback follows the rule's own list and goes no further.
        suite[2].Behave(new UpstreamBehavior.Fail());
        var fallback = (await suite.GenerateAsync(longPrompt)).Result;
        Assert.Equal("b", fallback.Upstream);
        Assert.Equal(["c", "b"], fallback.Attempts.Select(a => a.Upstream));
    }

    [Fact]
    public async Task An_upstream_at_its_concurrency_limit_passes_the_request_on()
    {
        await using var suite = await GeneratorWithUpstreams.StartAsync(2,
            "RagSuite:Generator:Upstreams:0:MaxConcurrency=1", "RagSuite:Generator:Upstreams:0:QueueTimeoutSeconds=0.05");
        suite[0].Behave(new UpstreamBehavior.Answer(TimeSpan.FromMilliseconds(60)));

        var slow = suite.GenerateAsync(GeneratorWithUpstreams.Request());
        while (suite[0].Active == 0) await Task.Delay(5);
        var (_, passed, _) = await suite.GenerateAsync(GeneratorWithUpstreams.Request());
        await slow;

        Assert.Equal("b", passed.Upstream);
        Assert.Contains("concurrency limit (1)", passed.Attempts[0].Reason);
        Assert.Equal("skipped", passed.Attempts[0].Outcome);
    }
}
