using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Text;
using RagSuite.Gateway.Auth;
using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Api;

/// <summary>
/// <c>POST /v1/chat/completions</c>: OpenAI's chat completion, answered as <c>/v1/query</c> answers the last user message
/// from the collection the model names (<c>rag:&lt;collection&gt;</c>), so OpenAI SDKs, LangChain, LlamaIndex and chat UIs
/// work unchanged. With <c>stream: true</c> the answer arrives as <c>chat.completion.chunk</c> events and <c>[DONE]</c>,
/// framed as OpenAI and vLLM frame them.
/// </summary>
public static class ChatCompletionsApi
{
    public const string Path = "/v1/chat/completions";
    private const string DoneMarker = "[DONE]";

    public static IEndpointRouteBuilder MapChatCompletionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, CompleteAsync).WithTags("OpenAI").WithName("CreateChatCompletion").WithQueryDeadline()
            .WithSummary("OpenAI-compatible chat completion, answered from the collection that model names (rag:<collection>)")
            .WithDescription("The question is the last user message. The answer carries citations and a ragsuite member " +
                "(mode, retrieval, timings). With \"stream\": true the response is text/event-stream: chat.completion.chunk events, then [DONE].")
            .Produces<ChatCompletion>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<ChatCompletion>, ServerSentEventsResult<string>>> CompleteAsync(ChatCompletionBody body,
        QueryPipeline pipeline, ProblemMapper problems, IOptions<GatewayOptions> options, IOptions<JsonOptions> json, TimeProvider time,
        HttpContext context, CancellationToken cancellationToken)
    {
        var query = ChatCompletionRequests.Check(body, options.Value);
        var plan = ApiAccess.Scope(context, ChatCompletionRequests.ToPlan(query, options.Value));
        var retrieval = await RetrieveAsync(pipeline, plan, query.Model, cancellationToken);
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var created = time.GetUtcNow().ToUnixTimeSeconds();

        if (query.Stream)
        {
            var streamed = await StreamedAnswer.StartAsync(pipeline.GenerateAsync(plan, retrieval, buffered: false, cancellationToken), cancellationToken);
            var chunks = new ChunkHeader(id, created, query.Model);
            var stream = StreamAsync(chunks, query, retrieval, streamed, problems, context);
            return TypedResults.ServerSentEvents(Frame(stream, json.Value.SerializerOptions));
        }

        var answer = new StringBuilder();
        GenerateResult? result = null;
        await foreach (var item in pipeline.GenerateAsync(plan, retrieval, buffered: true, cancellationToken))
        {
            if (item.EventCase == GenerateEvent.EventOneofCase.Delta) answer.Append(item.Delta);
            else result = item.Result;
        }
        var message = new ChatMessageView("assistant", answer.ToString());
        return TypedResults.Ok(new ChatCompletion(id, "chat.completion", created, query.Model,
            [new ChatChoice(0, message, null, FinishReason(result))], Usage(query, retrieval, result),
            QueryViews.Citations(retrieval, result?.CitedPassages ?? []), Extension(retrieval, result)));
    }

    /// <summary>Retrieval, with an unknown collection reported as the unknown model it is to an OpenAI client.</summary>
    private static async Task<RetrievalResult> RetrieveAsync(QueryPipeline pipeline, QueryPlan plan, string model, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.RetrieveAsync(plan, cancellationToken);
        }
        catch (RagSuiteException e) when (e.Kind == ErrorKind.NotFound)
        {
            var reason = $"'{model}' names collection '{plan.Collection}', which does not exist (GET /v1/models lists the collections)";
            throw new RagSuiteException(ErrorKind.NotFound, $"model: {reason}", new Dictionary<string, string[]> { ["model"] = [reason] }, e);
        }
    }

    private static async IAsyncEnumerable<object> StreamAsync(ChunkHeader header, ChatQuery query, RetrievalResult retrieval,
        StreamedAnswer answer, ProblemMapper problems, HttpContext context)
    {
        await using var _ = answer;
        yield return header.Chunk(new ChatDelta("assistant", ""));
        await foreach (var piece in answer.ReadAsync())
        {
            if (piece is string delta)
            {
                if (delta.Length > 0) yield return header.Chunk(new ChatDelta(Content: delta));
                continue;
            }
            var end = (AnswerEnd)piece;
            var result = end.Result;
            // Headers are gone already: a failure travels as the stream's last line, and no [DONE] follows.
            if (end.Failure is not null) yield return new OpenAiErrorBody(OpenAiErrors.From(problems.ToProblem(end.Failure, context)));
            else if (end.BrokeOff) yield return new OpenAiErrorBody(OpenAiErrors.From(problems.BrokenAnswer(result!.Error, null, context)));
            else
            {
                yield return header.Chunk(new ChatDelta(), FinishReason(result)) with
                {
                    Citations = QueryViews.Citations(retrieval, result?.CitedPassages ?? []),
                    Ragsuite = Extension(retrieval, result),
                };
                if (query.IncludeUsage) yield return new ChatCompletionChunk(header.Id, ChunkHeader.Object, header.Created, header.Model, [], Usage(query, retrieval, result));
                yield return DoneMarker;
            }
        }
    }

    /// <summary>
    /// Each event as one <c>data:</c> line and no event name, as OpenAI and vLLM frame them: objects as JSON, the
    /// closing marker as it is (serialized here, since the result would quote a string).
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> Frame(IAsyncEnumerable<object> events, JsonSerializerOptions options)
    {
        await foreach (var item in events)
        {
            yield return new SseItem<string>(item as string ?? JsonSerializer.Serialize(item, item.GetType(), options));
        }
    }

    /// <summary>OpenAI's finish reasons: the generator's <c>no_answer</c> is a completed answer, so <c>stop</c>.</summary>
    private static string FinishReason(GenerateResult? result) => result?.FinishReason switch
    {
        "length" => "length",
        "content_filter" => "content_filter",
        _ => "stop",
    };

    /// <summary>
    /// Token usage. The generator counts the answer, and an LLM upstream's prompt as the upstream reported (or its
    /// tokenizer counted) it; an extractive answer's prompt is counted here in its unit (words, as the extractive
    /// generator and BM25 count them) over the question and every passage's title and text.
    /// </summary>
    private static ChatUsage Usage(ChatQuery query, RetrievalResult retrieval, GenerateResult? result)
    {
        var prompt = result is { PromptTokens: > 0 } llm ? llm.PromptTokens
            : WordTokenizer.Count(query.Question) + retrieval.Chunks.Sum(c => WordTokenizer.Count(ModelText.Of(c.Point.Title, c.Point.Text)));
        var completion = result?.CompletionTokens ?? 0;
        return new ChatUsage(prompt, completion, prompt + completion);
    }

    private static RagSuiteAnswerView Extension(RetrievalResult retrieval, GenerateResult? result) => new(
        NullIfEmpty(result?.Mode), NullIfEmpty(result?.Model), NullIfEmpty(result?.FinishReason),
        QueryViews.Retrieval(retrieval), QueryViews.Timings(retrieval.Timings), QueryViews.Generation(result), QueryViews.Degraded(retrieval));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>What every chunk of one completion repeats: its id, creation time and model.</summary>
    private sealed record ChunkHeader(string Id, long Created, string Model)
    {
        public const string Object = "chat.completion.chunk";

        public ChatCompletionChunk Chunk(ChatDelta delta, string? finishReason = null) =>
            new(Id, Object, Created, Model, [new ChatChunkChoice(0, delta, null, finishReason)]);
    }
}
