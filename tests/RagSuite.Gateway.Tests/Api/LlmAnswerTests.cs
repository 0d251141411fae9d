using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RagSuite.Testing;
using RagSuite.Testing.OpenAi;

namespace RagSuite.Gateway.Tests.Api;

/// <summary>
/// <c>POST /v1/query</c> with an OpenAI-protocol upstream behind the generator: cited LLM answers in JSON and streamed
/// as SSE, the error event when the upstream breaks off, and extractive answers, flagged, when it is down.
/// </summary>
public sealed class LlmAnswerTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new("ragsuite-llm");
    private TestUpstream _upstream = null!;
    private RunningHost _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync("served-model");
        _gateway = await RunningHost.StartAsync(GatewayHost.Build,
            $"RagSuite:Retriever:DataDirectory={_data.Path}", "RagSuite:Embedder:Model=",
            "RagSuite:Generator:Upstreams:0:Name=vllm", $"RagSuite:Generator:Upstreams:0:BaseUrl={_upstream.BaseUrl}",
            "RagSuite:Generator:Upstreams:0:Model=served-model", "RagSuite:Generator:Upstreams:0:IdleTimeoutSeconds=1",
            "RagSuite:Generator:Upstreams:0:InputCostPer1k=0.5", "RagSuite:Generator:Upstreams:0:OutputCostPer1k=1.5");
        _client = _gateway.CreateHttpClient();
        await _client.CreateCollectionAsync("docs");
        await _client.IngestAsync("docs",
            new { id = "tower", title = "Eiffel Tower", text = "The Eiffel Tower in Paris was completed in 1889. It is 330 metres tall." },
            new { id = "gate", title = "Brandenburg Gate", text = "The Brandenburg Gate in Berlin was built from 1788 to 1791." });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        _data.Dispose();
    }

    private static object Query(bool stream = false) => new { collection = "docs", question = "How tall is the Eiffel Tower?", stream };

    [Fact]
    public async Task Json_answer_comes_from_the_upstream_with_citations_and_lineage()
    {
        var response = await _client.QueryAsync(Query());

        Assert.Equal("llm", (string?)response["mode"]);
        Assert.Contains("[1]", (string?)response["answer"]);
        Assert.Equal("tower", (string?)response["citations"]![0]!["document_id"]);
        var generation = response["generation"]!;
        Assert.Equal("vllm", (string?)generation["upstream"]);
        Assert.Equal("served-model", (string?)generation["model"]);
        Assert.Equal("grounded-qa@1", (string?)generation["template"]);
        Assert.True((int)generation["prompt_tokens"]! > 0);
        Assert.True((double)generation["estimated_cost_usd"]! > 0);
        Assert.Equal(1.0, (double)generation["grounding"]!["score"]!);
        Assert.Equal("none", (string?)generation["injection"]!["action"]);
    }

    [Fact]
    public async Task Models_list_the_upstream_with_its_model_and_circuit()
    {
        var models = await _client.GetFromJsonAsync<JsonNode>("/v1/models");

        var upstream = models!["models"]!.AsArray().Single(m => (string?)m!["service"] == "generator")!;
        Assert.Equal("vllm", (string?)upstream["name"]);
        Assert.Equal("llm", (string?)upstream["role"]);
        Assert.Equal("ready", (string?)upstream["status"]);
        Assert.Equal("served-model", (string?)upstream["source"]);
        Assert.Equal(8192, (int)upstream["max_tokens"]!);
    }

    [Fact]
    public async Task Streamed_answer_arrives_as_delta_events_then_citations_and_done()
    {
        var events = await _client.QueryStreamAsync(Query(stream: true));

        Assert.Equal("retrieval", events[0].Type);
        var deltas = events.Where(e => e.Type == "delta").ToList();
        Assert.True(deltas.Count > 5, $"{deltas.Count} delta events; the upstream streams a token at a time");
        Assert.Contains("[1]", string.Concat(deltas.Select(d => (string?)d.Data["text"])));
        Assert.Equal(["citations", "done"], events.TakeLast(2).Select(e => e.Type));
        Assert.Equal("llm", (string?)events[^1].Data["mode"]);
        Assert.Equal("vllm", (string?)events[^1].Data["generation"]!["upstream"]);
    }

    [Fact]
    public async Task Upstream_breaking_off_after_the_first_token_ends_the_stream_with_an_error_event()
    {
        _upstream.Behave(new UpstreamBehavior.DropAfter(4));

        var events = await _client.QueryStreamAsync(Query(stream: true));

        Assert.Contains(events, e => e.Type == "delta");
        var last = events[^1];
        Assert.Equal("error", last.Type);
        Assert.Equal(502, (int)last.Data["status"]!);
        Assert.Contains("broke off", (string?)last.Data["detail"]);
        Assert.DoesNotContain("127.0.0.1", last.Data.ToJsonString());
        Assert.DoesNotContain(events, e => e.Type == "done");
    }

    [Fact]
    public async Task Upstream_breaking_off_in_a_json_answer_falls_back_to_extractive()
    {
        _upstream.Behave(new UpstreamBehavior.DropAfter(4));

        var response = await _client.QueryAsync(Query());

        Assert.Equal("extractive", (string?)response["mode"]);
        Assert.Contains("330 metres tall", (string?)response["answer"]);
        Assert.Equal("failed_midway", (string?)response["generation"]!["attempts"]![0]!["outcome"]);
    }

    [Fact]
    public async Task Upstream_down_gives_an_extractive_answer_that_says_why()
    {
        _upstream.Behave(new UpstreamBehavior.Fail(503));

        var response = await _client.QueryAsync(Query());
        var streamed = await _client.QueryStreamAsync(Query(stream: true));

        Assert.Equal("extractive", (string?)response["mode"]);
        Assert.Contains("[1]", (string?)response["answer"]);
        var note = (string?)response["generation"]!["notes"]![0];
        Assert.Contains("no LLM upstream answered ('vllm': it answered HTTP 503)", note);
        Assert.Equal("extractive", (string?)streamed[^1].Data["mode"]);
        Assert.Equal("done", streamed[^1].Type);
    }

    [Fact]
    public async Task Generation_options_reach_the_upstream_and_bad_ones_are_refused()
    {
        await _client.QueryAsync(new
        {
            collection = "docs", question = "How tall is the Eiffel Tower?",
            generation = new { temperature = 0, seed = 7, presence_penalty = 0.5, frequency_penalty = 0.5, template = "grounded-qa@1", route = "fast" },
        });
        var (penaltyStatus, penalty) = await _client.PostAsync("/v1/query", new { collection = "docs", question = "q", generation = new { presence_penalty = 3 } });
        var (templateStatus, template) = await _client.PostAsync("/v1/query", new { collection = "docs", question = "q", generation = new { template = "nope@3" } });

        var sent = _upstream.Requests[^1];
        Assert.Equal(7, (int)sent["seed"]!);
        Assert.Equal(0, (double)sent["temperature"]!);
        Assert.Equal(0.5, (double)sent["presence_penalty"]!);
        Assert.Equal(422, penaltyStatus);
        Assert.NotNull(penalty!["errors"]!["generation.presence_penalty"]);
        Assert.Equal(422, templateStatus);
        Assert.Contains("no prompt template 'nope@3'; available: grounded-qa@1", (string?)template!["errors"]!["template"]![0]);
    }
}
