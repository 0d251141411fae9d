using System.Text.Json;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Gateway.Api;

namespace RagSuite.Gateway.Tests.Api;

/// <summary>How a chat completion body becomes a checked <see cref="ChatQuery"/> and the plan <c>/v1/query</c> would run.</summary>
public sealed class ChatCompletionRequestsTests
{
    private static readonly GatewayOptions Options = new();

    [Fact]
    public void The_text_after_the_collection_is_kept_as_the_route_hint()
    {
        var plain = Check("""{"model": "rag:docs", "messages": [{"role": "user", "content": "Eiffel?"}]}""");
        var hinted = Check("""{"model": "rag:docs:llama-3.1:8b", "messages": [{"role": "user", "content": "Eiffel?"}]}""");

        Assert.Equal(("docs", null, "rag:docs"), (plain.Collection, plain.RouteHint, plain.Model));
        Assert.Equal(("docs", "llama-3.1:8b", "rag:docs:llama-3.1:8b"), (hinted.Collection, hinted.RouteHint, hinted.Model));
    }

    [Fact]
    public void Seed_and_penalties_are_checked_and_kept_for_the_generation_contract()
    {
        var query = Check("""{"model": "rag:docs", "seed": -9223372036854775808, "presence_penalty": -2, "frequency_penalty": 1.5, "user": "u-1", "messages": [{"role": "user", "content": "Eiffel?"}]}""");

        Assert.Equal((long.MinValue, -2f, 1.5f, "u-1"), (query.Seed, query.PresencePenalty, query.FrequencyPenalty, query.User));
    }

    [Fact]
    public void The_question_is_the_last_user_message_whatever_came_before()
    {
        var query = Check("""
            {"model": "rag:docs", "messages": [
              {"role": "system", "content": "Be brief."},
              {"role": "developer", "content": [{"type": "text", "text": "Cite sources."}]},
              {"role": "user", "content": "Where is the gate?"},
              {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
              {"role": "tool", "tool_call_id": "c1", "content": "Berlin"},
              {"role": "user", "name": "ana", "content": [{"type": "text", "text": "How tall"}, {"type": "text", "text": "is the tower?"}]}
            ]}
            """);

        Assert.Equal("How tall\nis the tower?", query.Question);
    }

    [Theory]
    [InlineData("""  "stop": "END"  """, new[] { "END" })]
    [InlineData("""  "stop": ["END", "\n\n"]  """, new[] { "END", "\n\n" })]
    [InlineData("""  "stop": null  """, new string[0])]
    public void Stop_is_a_string_or_an_array_of_strings(string stop, string[] expected)
    {
        var query = Check($$"""{"model": "rag:docs", {{stop}}, "messages": [{"role": "user", "content": "Eiffel?"}]}""");

        Assert.Equal(expected, query.Stop);
        Assert.Equal(expected, ChatCompletionRequests.ToParameters(query).Stop);
    }

    [Theory]
    [InlineData("-1", null)]
    [InlineData("0", null)]
    [InlineData("40", 40)]
    public void Top_k_minus_one_or_zero_means_no_cut_as_in_vllm(string topK, int? expected)
    {
        var query = Check($$"""{"model": "rag:docs", "top_k": {{topK}}, "messages": [{"role": "user", "content": "Eiffel?"}]}""");

        Assert.Equal(expected, query.TopK);
        Assert.Equal(expected is not null, ChatCompletionRequests.ToParameters(query).HasTopK);
    }

    [Theory]
    [InlineData("""  "max_tokens": 64  """)]
    [InlineData("""  "max_completion_tokens": 64  """)]
    [InlineData("""  "max_tokens": 64, "max_completion_tokens": 64  """)]
    public void Max_tokens_and_max_completion_tokens_are_one_setting(string fields)
    {
        var query = Check($$"""{"model": "rag:docs", {{fields}}, "messages": [{"role": "user", "content": "Eiffel?"}]}""");

        Assert.Equal(64, ChatCompletionRequests.ToParameters(query).MaxTokens);
    }

    [Fact]
    public void The_plan_is_the_one_query_runs_for_the_same_question_and_parameters()
    {
        var query = Check("""{"model": "rag:docs", "temperature": 0.3, "top_p": 0.8, "top_k": 5, "max_tokens": 100, "stop": ["x"], "messages": [{"role": "user", "content": "When was the tower built?"}]}""");
        var body = JsonSerializer.Deserialize<QueryBody>(
            """{"question": "When was the tower built?", "collection": "docs", "generation": {"temperature": 0.3, "top_p": 0.8, "top_k": 5, "max_tokens": 100, "stop": ["x"]}}""",
            JsonOptions())!;

        Assert.Equal(QueryRequests.ToPlan(body, Options), ChatCompletionRequests.ToPlan(query, Options));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_as_a_bad_request()
    {
        var error = Assert.Throws<RagSuiteException>(() =>
            Check("""{"model": "gpt-4", "n": 3, "temperature": -1, "messages": [{"role": "assistant", "content": "Hi"}]}"""));

        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal(["messages", "model", "temperature", "n"], error.FieldErrors.Keys);
    }

    [Fact]
    public void A_refused_content_part_is_the_only_problem_reported_for_its_message()
    {
        var error = Assert.Throws<RagSuiteException>(() =>
            Check("""{"model": "rag:docs", "messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "", "format": "wav"}}]}]}"""));

        Assert.Equal(["messages[0].content[0].type"], error.FieldErrors.Keys);
        Assert.Contains("input_audio", error.Message);
    }

    [Theory]
    [InlineData("rag:docs", "docs", null)]
    [InlineData("rag:a.b_c-1", "a.b_c-1", null)]
    [InlineData("rag:docs:fast", "docs", "fast")]
    [InlineData("rag:docs:org/model:v2", "docs", "org/model:v2")]
    public void Rag_model_names_carry_a_collection_and_an_optional_hint(string model, string collection, string? hint)
    {
        Assert.True(RagModelName.TryParse(model, out var name, out _));
        Assert.Equal(new RagModelName(collection, hint), name);
    }

    [Theory]
    [InlineData("gpt-4", "not a RagSuite model")]
    [InlineData("RAG:docs", "not a RagSuite model")]
    [InlineData("rag:", "names no collection")]
    [InlineData("rag::fast", "names no collection")]
    [InlineData("rag:bad name", "not a valid collection name")]
    [InlineData("rag:docs:", "hint")]
    [InlineData("rag:docs:two words", "hint")]
    public void Other_model_names_say_what_is_wrong(string model, string problem)
    {
        Assert.False(RagModelName.TryParse(model, out _, out var reason));
        Assert.Contains(problem, reason);
    }

    private static ChatQuery Check(string json) =>
        ChatCompletionRequests.Check(JsonSerializer.Deserialize<ChatCompletionBody>(json, JsonOptions())!, Options);

    private static JsonSerializerOptions JsonOptions()
    {
        var options = new JsonSerializerOptions();
        GatewayHost.ConfigureJson(options);
        return options;
    }
}
