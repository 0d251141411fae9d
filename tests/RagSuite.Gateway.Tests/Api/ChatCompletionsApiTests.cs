using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RagSuite.Core.Text;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests.Api;

/// <summary>
/// <c>POST /v1/chat/completions</c> over raw HTTP: the answer <c>/v1/query</c> gives, in OpenAI's shapes and framing,
/// and every bad input as problem+json with OpenAI's <c>error</c> member.
/// </summary>
public sealed class ChatCompletionsApiTests(EmbeddedDocsSuite suite) : IClassFixture<EmbeddedDocsSuite>
{
    private const string Question = "When was the Eiffel Tower completed?";

    private readonly HttpClient _client = suite.CreateClient();

    [Fact]
    public async Task A_completion_answers_the_last_user_message_as_query_does_with_citations_usage_and_ragsuite_fields()
    {
        var query = await _client.QueryAsync(new { question = Question, collection = EmbeddedDocsSuite.Collection });
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var response = await PostAsync(new
        {
            model = EmbeddedDocsSuite.Model,
            messages = new object[]
            {
                new { role = "system", content = "Answer from the documents." },
                new { role = "user", content = "Where is the Brandenburg Gate?" },
                new { role = "assistant", content = "In Berlin [1]." },
                new { role = "user", content = Question },
            },
        });

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var completion = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("chatcmpl-", completion["id"]!.GetValue<string>());
        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        Assert.InRange(completion["created"]!.GetValue<long>(), before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(EmbeddedDocsSuite.Model, completion["model"]!.GetValue<string>());
        var choice = completion["choices"]!.AsArray().Single()!;
        Assert.Equal(0, choice["index"]!.GetValue<int>());
        Assert.Equal("assistant", choice["message"]!["role"]!.GetValue<string>());
        var content = choice["message"]!["content"]!.GetValue<string>();
        Assert.Equal(query["answer"]!.GetValue<string>(), content);
        Assert.Contains("1889 for the World's Fair. [1]", content);
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.True(choice.AsObject().ContainsKey("logprobs"), "OpenAI writes logprobs: null");

        Assert.True(JsonNode.DeepEquals(query["citations"], completion["citations"]), $"{query["citations"]} vs {completion["citations"]}");
        Assert.Equal("eiffel", completion["citations"]![0]!["document_id"]!.GetValue<string>());
        var ragsuite = completion["ragsuite"]!;
        Assert.Equal("extractive", ragsuite["mode"]!.GetValue<string>());
        Assert.Equal("stop", ragsuite["finish_reason"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(query["retrieval"], ragsuite["retrieval"]));
        Assert.True(ragsuite["timings_ms"]!["generate"]!.GetValue<double>() > 0);

        var usage = completion["usage"]!;
        var results = query["results"]!.AsArray();
        var promptWords = WordTokenizer.Count(Question)
            + results.Sum(r => WordTokenizer.Count($"{r!["title"]?.GetValue<string>()}\n\n{r["text"]!.GetValue<string>()}"));
        Assert.Equal(promptWords, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(WordTokenizer.Count(content), usage["completion_tokens"]!.GetValue<int>());
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Text_content_parts_make_up_the_question()
    {
        var completion = await CompleteAsync(new
        {
            model = EmbeddedDocsSuite.Model,
            messages = new[] { new { role = "user", content = new[] { new { type = "text", text = "When was the" }, new { type = "text", text = "Eiffel Tower completed?" } } } },
        });

        Assert.Contains("1889", Content(completion));
    }

    [Fact]
    public async Task A_route_hint_after_the_collection_is_accepted_and_the_model_is_echoed_as_sent()
    {
        var plain = await CompleteAsync(new { model = EmbeddedDocsSuite.Model, messages = User(Question) });
        var hinted = await CompleteAsync(new { model = "rag:docs:fast-lane", messages = User(Question) });

        Assert.Equal("rag:docs:fast-lane", hinted["model"]!.GetValue<string>());
        Assert.Equal(Content(plain), Content(hinted));
    }

    [Fact]
    public async Task Every_openai_parameter_is_accepted_at_valid_values_and_sdk_style_off_switches_pass()
    {
        var completion = await CompleteAsync(new
        {
            model = EmbeddedDocsSuite.Model,
            messages = User(Question),
            temperature = 0.2,
            top_p = 0.9,
            top_k = -1,
            max_tokens = 200,
            max_completion_tokens = 200,
            stop = "\n\n",
            n = 1,
            seed = long.MinValue,
            presence_penalty = 2,
            frequency_penalty = -2,
            user = "user-42",
            logprobs = false,
            tools = Array.Empty<object>(),
            tool_choice = "none",
            parallel_tool_calls = true,
            response_format = new { type = "text" },
            logit_bias = new { },
            store = false,
        });

        Assert.Contains("1889", Content(completion));
    }

    [Fact]
    public async Task Max_tokens_cuts_the_answer_and_finishes_with_length()
    {
        var completion = await CompleteAsync(new { model = EmbeddedDocsSuite.Model, messages = User(Question), max_completion_tokens = 3 });

        Assert.Equal("length", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("length", completion["ragsuite"]!["finish_reason"]!.GetValue<string>());
        var content = Content(completion);
        Assert.EndsWith(" … [1]", content); // three words, cut, and the citation mark
        Assert.Equal(WordTokenizer.Count(content), completion["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_question_the_documents_cannot_answer_finishes_with_stop_and_ragsuite_says_no_answer()
    {
        var completion = await CompleteAsync(new { model = EmbeddedDocsSuite.Model, messages = User("xylophone quasar") });

        Assert.Equal("stop", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("no_answer", completion["ragsuite"]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(completion["citations"]!.AsArray());
    }

    [Fact]
    public async Task Streaming_frames_chunks_as_openai_does_then_usage_then_done()
    {
        var whole = await CompleteAsync(new { model = EmbeddedDocsSuite.Model, messages = User(Question) });

        var (contentType, events) = await StreamAsync(new
        {
            model = EmbeddedDocsSuite.Model,
            messages = User(Question),
            stream = true,
            stream_options = new { include_usage = true },
        });

        Assert.Equal("text/event-stream", contentType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.True(chunks.Count >= 4, $"role, content, finish and usage chunks; got {chunks.Count}");
        Assert.Single(chunks.Select(c => c["id"]!.GetValue<string>()).Distinct());
        Assert.StartsWith("chatcmpl-", chunks[0]["id"]!.GetValue<string>());
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.All(chunks, c => Assert.Equal(EmbeddedDocsSuite.Model, c["model"]!.GetValue<string>()));
        Assert.Single(chunks.Select(c => c["created"]!.GetValue<long>()).Distinct());

        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        var withChoices = chunks[..^1];
        Assert.All(withChoices[..^1], c =>
        {
            var choice = c["choices"]!.AsArray().Single()!;
            Assert.True(choice.AsObject().ContainsKey("finish_reason") && choice["finish_reason"] is null, $"finish_reason: null until the end: {c}");
            Assert.Null(c["usage"]);
        });
        var content = string.Concat(withChoices.Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>()));
        Assert.Equal(Content(whole), content);

        var finish = withChoices[^1];
        Assert.Equal("stop", finish["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(finish["choices"]![0]!["delta"]!.AsObject());
        Assert.True(JsonNode.DeepEquals(whole["citations"], finish["citations"]));
        Assert.Equal("extractive", finish["ragsuite"]!["mode"]!.GetValue<string>());

        var usage = chunks[^1];
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(whole["usage"], usage["usage"]), $"{whole["usage"]} vs {usage["usage"]}");
    }

    [Fact]
    public async Task Streaming_without_include_usage_sends_no_usage_chunk()
    {
        var (_, events) = await StreamAsync(new { model = EmbeddedDocsSuite.Model, messages = User(Question), stream = true });

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, c => Assert.Single(c["choices"]!.AsArray()));
        Assert.All(chunks, c => Assert.Null(c["usage"]));
        Assert.Equal("stop", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failure_after_the_stream_started_ends_it_with_an_error_line_and_no_done_and_unstreamed_falls_back_to_extractive()
    {
        using var data = new TemporaryDirectory();
        await using var generator = await RunningHost.StartAsync(MidwayFailingGenerator.Build);
        await using var gateway = await RunningHost.StartAsync(GatewayHost.Build, "RagSuite:Embedder:Model=",
            $"RagSuite:Retriever:DataDirectory={data.Path}", $"RagSuite:Services:Generator:Address={generator.GrpcAddress}");
        using var client = gateway.CreateHttpClient();
        await client.CreateCollectionAsync("docs");
        await client.IngestAsync("docs", TestDocuments.All);

        var (_, events) = await StreamAsync(client, new { model = "rag:docs", messages = User(Question), stream = true });
        var (status, completion) = await client.PostAsync("/v1/chat/completions", new { model = "rag:docs", messages = User(Question) });

        Assert.Equal(3, events.Count);
        Assert.Equal("assistant", JsonNode.Parse(events[0])!["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal(MidwayFailingGenerator.FirstPiece, JsonNode.Parse(events[1])!["choices"]![0]!["delta"]!["content"]!.GetValue<string>());
        var error = JsonNode.Parse(events[2])!["error"]!;
        Assert.Equal(MidwayFailingGenerator.Failure, error["message"]!.GetValue<string>());
        Assert.Equal("server_error", error["type"]!.GetValue<string>());
        Assert.Equal("unavailable", error["code"]!.GetValue<string>());
        Assert.DoesNotContain("[DONE]", events);

        // Unstreamed, nothing had been shown: the gateway writes the answer extractively instead and says why.
        Assert.Equal(200, status);
        var degraded = Assert.Single(completion!["ragsuite"]!["degraded"]!.AsArray())!;
        Assert.Equal("generator", degraded["service"]!.GetValue<string>());
        Assert.Equal("extractive", degraded["fallback"]!.GetValue<string>());
        Assert.Equal(MidwayFailingGenerator.Failure, degraded["reason"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(completion["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(BadInputCases))]
    public async Task Bad_input_gets_a_problem_naming_the_field_with_the_openai_error_member(string name)
    {
        var input = BadInputs.Single(b => b.Name == name);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = input.Content() };

        using var response = await _client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(input.Status == (int)response.StatusCode, $"{name}: expected {input.Status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(input.Status, problem["status"]!.GetValue<int>());
        Assert.Contains(input.Names, problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        var error = problem["error"]!;
        Assert.Equal(problem["detail"]!.GetValue<string>(), error["message"]!.GetValue<string>());
        Assert.Equal(input.Status == 404 ? "not_found_error" : "invalid_request_error", error["type"]!.GetValue<string>());
        Assert.True(error.AsObject().ContainsKey("param") && error.AsObject().ContainsKey("code"), $"param and code are always written: {error}");
        if (input.Field is { } field)
        {
            Assert.Contains(field, problem["errors"]!.AsObject().Select(e => e.Key));
            Assert.Equal(field, error["param"]!.GetValue<string>());
        }
        Assert.DoesNotContain("   at ", body);
    }

    [Fact]
    public async Task Refusals_routing_makes_on_the_openai_routes_carry_the_error_member_too()
    {
        var (wrongMethod, problem) = await _client.SendJsonAsync(HttpMethod.Get, "/v1/chat/completions");
        var (elsewhere, other) = await _client.SendJsonAsync(HttpMethod.Get, "/v1/query");

        Assert.Equal(405, wrongMethod);
        Assert.Equal("invalid_request_error", problem!["error"]!["type"]!.GetValue<string>());
        Assert.Contains("does not accept GET", problem["error"]!["message"]!.GetValue<string>());
        Assert.Equal(405, elsewhere);
        Assert.Null(other!["error"]); // RagSuite's own routes answer problem+json alone
    }

    public static TheoryData<string> BadInputCases => [.. BadInputs.Select(b => b.Name)];

    /// <summary>A bad request: its body, the status it gets, the field it names (null where none can be), a word its detail holds.</summary>
    private sealed record BadInput(string Name, Func<HttpContent> Content, int Status, string? Field, string Names);

    private static readonly BadInput[] BadInputs =
    [
        Json("no messages", """{"model": "rag:docs"}""", 400, "messages", "required"),
        Json("empty messages", """{"model": "rag:docs", "messages": []}""", 400, "messages", "empty"),
        Json("messages not an array", """{"model": "rag:docs", "messages": "When?"}""", 400, "messages", "messages"),
        Json("no user message", """{"model": "rag:docs", "messages": [{"role": "system", "content": "Be brief."}]}""", 400, "messages", "no user message"),
        Json("last message from the assistant", """{"model": "rag:docs", "messages": [{"role": "user", "content": "Eiffel?"}, {"role": "assistant", "content": "Paris."}]}""",
            400, "messages[1].role", "assistant"),
        Json("user message with empty content", """{"model": "rag:docs", "messages": [{"role": "user", "content": ""}]}""", 400, "messages[0].content", "empty"),
        Json("user message without content", """{"model": "rag:docs", "messages": [{"role": "user"}]}""", 400, "messages[0].content", "required"),
        Json("user message of blank text parts", """{"model": "rag:docs", "messages": [{"role": "user", "content": [{"type": "text", "text": " "}]}]}""",
            400, "messages[0].content", "empty"),
        Json("question without words", """{"model": "rag:docs", "messages": [{"role": "user", "content": "?!"}]}""", 400, "messages[0].content", "no words"),
        Json("image content part", """{"model": "rag:docs", "messages": [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]}""",
            400, "messages[0].content[1].type", "image_url"),
        Json("content part without text", """{"model": "rag:docs", "messages": [{"role": "user", "content": [{"type": "text"}]}]}""", 400, "messages[0].content[0].text", "required"),
        Json("content of the wrong type", """{"model": "rag:docs", "messages": [{"role": "user", "content": 42}]}""", 400, "messages[0].content", "string or an array"),
        Json("message without a role", """{"model": "rag:docs", "messages": [{"content": "Eiffel?"}]}""", 400, "messages[0].role", "required"),
        Json("unknown role", """{"model": "rag:docs", "messages": [{"role": "robot", "content": "Eiffel?"}]}""", 400, "messages[0].role", "robot"),
        Json("unknown message field", """{"model": "rag:docs", "messages": [{"role": "user", "content": "Eiffel?", "mood": "happy"}]}""", 400, "messages[0].mood", "mood"),
        Json("model missing", """{"messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "model", "rag:<collection>"),
        Json("model gpt-4", """{"model": "gpt-4", "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "model", "gpt-4"),
        Json("model rag: without a collection", """{"model": "rag:", "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "model", "names no collection"),
        Json("model rag:bad name", """{"model": "rag:bad name", "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "model", "not a valid collection name"),
        Json("model with an empty hint", """{"model": "rag:docs:", "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "model", "hint"),
        Json("model of an unknown collection", """{"model": "rag:nope", "messages": [{"role": "user", "content": "Eiffel?"}]}""", 404, "model", "nope"),
        Json("model of an unknown collection, streamed", """{"model": "rag:nope", "stream": true, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 404, "model", "nope"),
        Json("n=2", """{"model": "rag:docs", "n": 2, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "n", "must be 1"),
        Json("temperature 3", """{"model": "rag:docs", "temperature": 3, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "temperature", "between 0 and 2"),
        Json("temperature as a string", """{"model": "rag:docs", "temperature": "0.5", "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "temperature", "temperature"),
        Json("top_p 0", """{"model": "rag:docs", "top_p": 0, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "top_p", "greater than 0"),
        Json("top_k -2", """{"model": "rag:docs", "top_k": -2, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "top_k", "at least 1"),
        Json("max_tokens 0", """{"model": "rag:docs", "max_tokens": 0, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "max_tokens", "between 1 and"),
        Json("max_completion_tokens too many", """{"model": "rag:docs", "max_completion_tokens": 9000, "messages": [{"role": "user", "content": "Eiffel?"}]}""",
            400, "max_completion_tokens", "between 1 and"),
        Json("max_tokens contradicting max_completion_tokens", """{"model": "rag:docs", "max_tokens": 10, "max_completion_tokens": 20, "messages": [{"role": "user", "content": "Eiffel?"}]}""",
            400, "max_completion_tokens", "max_tokens"),
        Json("stop with 9 entries", """{"model": "rag:docs", "stop": ["a", "b", "c", "d", "e", "f", "g", "h", "i"], "messages": [{"role": "user", "content": "Eiffel?"}]}""",
            400, "stop", "more than 8"),
        Json("stop of the wrong type", """{"model": "rag:docs", "stop": 7, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "stop", "string or an array"),
        Json("stop holding a number", """{"model": "rag:docs", "stop": ["a", 7], "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "stop[1]", "string"),
        Json("presence_penalty 2.5", """{"model": "rag:docs", "presence_penalty": 2.5, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "presence_penalty", "between -2 and 2"),
        Json("frequency_penalty -3", """{"model": "rag:docs", "frequency_penalty": -3, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "frequency_penalty", "between -2 and 2"),
        Json("seed fractional", """{"model": "rag:docs", "seed": 1.5, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "seed", "seed"),
        Json("seed beyond 64 bits", """{"model": "rag:docs", "seed": 18446744073709551616, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "seed", "seed"),
        Json("stream as a string", """{"model": "rag:docs", "stream": "yes", "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "stream", "stream"),
        Json("stream_options without stream", """{"model": "rag:docs", "stream_options": {"include_usage": true}, "messages": [{"role": "user", "content": "Eiffel?"}]}""",
            400, "stream_options", "stream is true"),
        Json("logprobs asked for", """{"model": "rag:docs", "logprobs": true, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "logprobs", "not available"),
        Json("tools offered", """{"model": "rag:docs", "tools": [{"type": "function", "function": {"name": "f"}}], "messages": [{"role": "user", "content": "Eiffel?"}]}""",
            400, "tools", "tool calling"),
        Json("JSON response format", """{"model": "rag:docs", "response_format": {"type": "json_object"}, "messages": [{"role": "user", "content": "Eiffel?"}]}""",
            400, "response_format", "text"),
        Json("unknown field", """{"model": "rag:docs", "temprature": 0.5, "messages": [{"role": "user", "content": "Eiffel?"}]}""", 400, "temprature", "not a field"),
        Json("non-JSON body", "model=rag:docs&question=Eiffel", 400, null, "JSON"),
        Json("malformed JSON", """{"model": "rag:docs", "messages": [""", 400, null, "JSON"),
        Json("array body", "[]", 400, null, "JSON"),
        new("text/plain body", () => new StringContent("When was the Eiffel Tower completed?", Encoding.UTF8, "text/plain"), 415, null, "content type"),
    ];

    private static BadInput Json(string name, string json, int status, string? field, string names) =>
        new(name, () => new StringContent(json, Encoding.UTF8, "application/json"), status, field, names);

    private static object[] User(string question) => [new { role = "user", content = question }];

    private static string Content(JsonNode completion) => completion["choices"]![0]!["message"]!["content"]!.GetValue<string>();

    private async Task<HttpResponseMessage> PostAsync(object body)
    {
        var response = await _client.PostAsync("/v1/chat/completions", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode) Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private async Task<JsonNode> CompleteAsync(object body)
    {
        using var response = await PostAsync(body);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private Task<(string? ContentType, List<string> Data)> StreamAsync(object body) => StreamAsync(_client, body);

    /// <summary>The data of each event, after checking the raw framing: every event is exactly one <c>data:</c> line.</summary>
    private static async Task<(string? ContentType, List<string> Data)> StreamAsync(HttpClient client, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.EndsWith("\n\n", text);
        var events = text[..^2].Split("\n\n");
        Assert.All(events, e =>
        {
            Assert.StartsWith("data: ", e);
            Assert.DoesNotContain('\n', e);
        });
        return (response.Content.Headers.ContentType?.MediaType, [.. events.Select(e => e["data: ".Length..])]);
    }
}
