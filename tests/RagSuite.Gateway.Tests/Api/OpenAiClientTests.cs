using System.ClientModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests.Api;

/// <summary>
/// The official OpenAI SDKs, .NET and JavaScript, pointed at the gateway as an app would point them at OpenAI:
/// <c>base_url</c> <c>http://127.0.0.1:&lt;port&gt;/v1</c>, model <c>rag:docs</c>. Their answers are <c>/v1/query</c>'s,
/// extractive or, with an LLM upstream, the upstream's.
/// </summary>
public abstract class OpenAiClientTests(EmbeddedDocsSuite suite)
{
    private const string Question = "How tall is the Eiffel Tower?";

    /// <summary>The npm <c>openai</c> package and the script that drives it; <c>.ci/run</c> runs <c>npm ci</c> there.</summary>
    private static readonly string NodeFolder = Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Gateway.Tests", "openai-node");

    private readonly HttpClient _client = suite.CreateClient();

    private OpenAIClientOptions Options => new() { Endpoint = suite.OpenAiBaseAddress, NetworkTimeout = TimeSpan.FromMinutes(1), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) };

    // The gateway asks for no key; the SDK insists on one.
    private static ApiKeyCredential Key => new("unused");

    [Fact]
    public async Task The_dotnet_sdk_completes_a_chat_with_the_answer_query_gives()
    {
        var expected = await QueryAnswerAsync();
        var chat = new ChatClient(EmbeddedDocsSuite.Model, Key, Options);

        var result = await chat.CompleteChatAsync([new SystemChatMessage("Answer from the documents."), new UserChatMessage(Question)]);

        ChatCompletion completion = result;
        Assert.Equal(expected, completion.Content.Single().Text);
        Assert.Contains("Eiffel Tower", completion.Content[0].Text);
        Assert.Contains("[1]", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(EmbeddedDocsSuite.Model, completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        // The extra members are in the body the SDK read.
        var raw = JsonNode.Parse(result.GetRawResponse().Content.ToString())!;
        Assert.Equal("eiffel", raw["citations"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal(suite.AnswerMode, raw["ragsuite"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dotnet_sdk_streams_a_chat_with_the_same_answer_and_usage()
    {
        var expected = await QueryAnswerAsync();
        var chat = new ChatClient(EmbeddedDocsSuite.Model, Key, Options);

        var content = new StringBuilder();
        var ids = new HashSet<string>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        ChatMessageRole? role = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(Question)]))
        {
            ids.Add(update.CompletionId);
            role ??= update.Role;
            foreach (var part in update.ContentUpdate) content.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(expected, content.ToString());
        Assert.Single(ids);
        Assert.Equal(ChatMessageRole.Assistant, role);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage); // the SDK asks for stream_options.include_usage
        Assert.True(usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task The_dotnet_sdk_lists_a_model_per_collection_and_reads_one()
    {
        var models = new OpenAIModelClient(Key, Options);

        OpenAIModelCollection list = await models.GetModelsAsync();
        OpenAIModel docs = await models.GetModelAsync(EmbeddedDocsSuite.Model);

        var listed = list.Single(m => m.Id == EmbeddedDocsSuite.Model);
        Assert.Equal("ragsuite", listed.OwnedBy);
        Assert.True(listed.CreatedAt > DateTimeOffset.UnixEpoch);
        Assert.Equal(listed.CreatedAt, docs.CreatedAt);
    }

    [Fact]
    public async Task The_dotnet_sdk_reports_an_unknown_collection_as_a_404_with_the_message()
    {
        var chat = new ChatClient("rag:no-such-collection", Key, Options);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage(Question)]));

        Assert.Equal(404, error.Status);
        Assert.Contains("no-such-collection", error.Message);
    }

    [SkippableFact]
    public async Task The_node_sdk_completes_and_streams_the_answer_query_gives()
    {
        Skip.If(NodeTools.Node is null, "node is not on PATH, so the OpenAI JavaScript SDK cannot run (install Node.js 20 or later)");
        Skip.IfNot(Directory.Exists(Path.Combine(NodeFolder, "node_modules", "openai")),
            $"the npm package openai is not installed in {NodeFolder} (run 'npm ci' there, as .ci/run does)");
        var expected = await QueryAnswerAsync();

        var output = await RunNodeAsync("chat.mjs", suite.OpenAiBaseAddress.ToString(), EmbeddedDocsSuite.Model, Question);

        var completion = output["completion"]!;
        Assert.Equal(expected, completion["content"]!.GetValue<string>());
        Assert.Equal("stop", completion["finish_reason"]!.GetValue<string>());
        Assert.Equal(EmbeddedDocsSuite.Model, completion["model"]!.GetValue<string>());
        Assert.Equal("eiffel", completion["citations"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal(suite.AnswerMode, completion["ragsuite"]!["mode"]!.GetValue<string>());
        var streamed = output["streamed"]!;
        Assert.Equal(expected, streamed["content"]!.GetValue<string>());
        Assert.Equal("assistant", streamed["role"]!.GetValue<string>());
        Assert.Equal("stop", streamed["finish_reason"]!.GetValue<string>());
        Assert.Single(streamed["ids"]!.AsArray().Select(i => i!.GetValue<string>()).Distinct());
        Assert.True(JsonNode.DeepEquals(completion["citations"], streamed["citations"]));
        Assert.True(JsonNode.DeepEquals(completion["usage"], streamed["usage"]), $"{completion["usage"]} vs {streamed["usage"]}");
        Assert.Contains(EmbeddedDocsSuite.Model, output["models"].Strings());
        var unknown = output["unknown"]!;
        Assert.Equal((404, "not_found_error", "model_not_found", "model"),
            (unknown["status"]!.GetValue<int>(), unknown["type"]!.GetValue<string>(), unknown["code"]!.GetValue<string>(), unknown["param"]!.GetValue<string>()));
        Assert.Contains("no-such-collection", unknown["message"]!.GetValue<string>());
    }

    private async Task<string> QueryAnswerAsync() =>
        (await _client.QueryAsync(new { question = Question, collection = EmbeddedDocsSuite.Collection }))["answer"]!.GetValue<string>();

    private static async Task<JsonNode> RunNodeAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(NodeTools.Node!) { WorkingDirectory = NodeFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}: {await stderr}");
        return JsonNode.Parse(await stdout)!;
    }
}

/// <summary>The SDKs against extractive answers (no LLM upstream configured).</summary>
public sealed class OpenAiClientExtractiveTests(EmbeddedDocsSuite suite) : OpenAiClientTests(suite), IClassFixture<EmbeddedDocsSuite>;

/// <summary>The SDKs against answers streamed from an LLM upstream behind the generator.</summary>
public sealed class OpenAiClientLlmTests(EmbeddedLlmDocsSuite suite) : OpenAiClientTests(suite), IClassFixture<EmbeddedLlmDocsSuite>;
