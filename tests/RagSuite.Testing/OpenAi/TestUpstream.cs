using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RagSuite.Testing.OpenAi;

/// <summary>
/// An OpenAI-protocol chat-completions server on a loopback port, for tests: it streams chunks in the SSE framing of
/// vLLM's OpenAI server (a role chunk, content chunks, a finish chunk, a usage chunk when asked, <c>[DONE]</c>) and can
/// be told to fail, stall, answer slowly or drop the stream midway. By default it answers from the prompt's sources:
/// the first sentence of each of the first two source blocks, each cited by its number. Every request body is kept.
/// </summary>
public sealed partial class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _requests = new();
    private readonly ConcurrentQueue<string> _authorizations = new();
    private volatile UpstreamBehavior _behavior = new UpstreamBehavior.Answer();
    private volatile Func<string, string>? _answer;
    private int _active;

    private TestUpstream(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The API root to configure, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public Uri BaseUrl { get; }

    public IReadOnlyList<JsonObject> Requests => [.. _requests];

    /// <summary>The Authorization header of every request, in order.</summary>
    public IReadOnlyList<string> Authorizations => [.. _authorizations];

    /// <summary>Requests being answered right now.</summary>
    public int Active => Volatile.Read(ref _active);

    public string Model { get; private set; } = "";

    public static async Task<TestUpstream> StartAsync(string model = "test-model")
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var upstream = new TestUpstream(app, new Uri($"http://127.0.0.1:{port}/v1")) { Model = model };
        app.MapPost("/v1/chat/completions", upstream.HandleAsync);
        app.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = model, @object = "model" } } }));
        await app.StartAsync();
        return upstream;
    }

    public void Behave(UpstreamBehavior behavior) => _behavior = behavior;

    /// <summary>Answers with <paramref name="answer"/> of the user message instead of the sources' first sentences.</summary>
    public void AnswerWith(Func<string, string> answer) => _answer = answer;

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _active);
        try
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
            _requests.Enqueue(body);
            _authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            var behavior = _behavior;
            if (behavior is UpstreamBehavior.Fail fail)
            {
                context.Response.StatusCode = fail.Status;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "the test upstream was told to fail", type = "server_error", code = fail.Status } });
                return;
            }
            if (behavior is UpstreamBehavior.Stall)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return;
            }
            var user = body["messages"]!.AsArray().Last(m => (string?)m!["role"] == "user")!["content"]!.GetValue<string>();
            var (pieces, finish) = Pieces((_answer ?? FromSources)(user), body);
            if (body["stream"]?.GetValue<bool>() != true)
            {
                await context.Response.WriteAsJsonAsync(Completion(string.Concat(pieces), finish, body, pieces.Count));
                return;
            }
            await StreamAsync(context, behavior, body, pieces, finish);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up: nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private async Task StreamAsync(HttpContext context, UpstreamBehavior behavior, JsonObject body, List<string> pieces, string finish)
    {
        var aborted = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        await WriteAsync(context, Chunk(id, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        if (behavior is UpstreamBehavior.Answer { FirstTokenDelay: var first } && first > TimeSpan.Zero) await Task.Delay(first, aborted);
        for (var i = 0; i < pieces.Count; i++)
        {
            switch (behavior)
            {
                case UpstreamBehavior.DropAfter drop when i == drop.Chunks:
                    // A reset discards what the client has not read yet: let it read what was sent, then break off.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), aborted);
                    context.Abort();
                    return;
                case UpstreamBehavior.StallAfter stall when i == stall.Chunks:
                    await Task.Delay(Timeout.Infinite, aborted);
                    return;
                case UpstreamBehavior.Answer { TokenDelay: var delay } when delay > TimeSpan.Zero:
                    await Task.Delay(delay, aborted);
                    break;
            }
            await WriteAsync(context, Chunk(id, new JsonObject { ["content"] = pieces[i] }, null));
        }
        await WriteAsync(context, Chunk(id, new JsonObject(), finish));
        if (body["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            var usage = Chunk(id, null, null);
            usage["usage"] = Usage(body, pieces.Count);
            await WriteAsync(context, usage);
        }
        await context.Response.WriteAsync("data: [DONE]\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }

    private static async Task WriteAsync(HttpContext context, JsonObject chunk)
    {
        await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private JsonObject Chunk(string id, JsonObject? delta, string? finish)
    {
        var choices = new JsonArray();
        if (delta is not null)
        {
            choices.Add(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish });
        }
        return new JsonObject
        {
            ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = Model, ["choices"] = choices,
        };
    }

    private JsonObject Completion(string text, string finish, JsonObject body, int completionTokens) => new()
    {
        ["id"] = $"chatcmpl-{Guid.NewGuid():N}", ["object"] = "chat.completion", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = Model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text }, ["finish_reason"] = finish,
        }),
        ["usage"] = Usage(body, completionTokens),
    };

    /// <summary>Prompt tokens as whitespace-separated words of every message: a test server's own, documented count.</summary>
    private static JsonObject Usage(JsonObject body, int completionTokens)
    {
        var prompt = body["messages"]!.AsArray().Sum(m => WordPiece().Count(m!["content"]?.GetValue<string>() ?? ""));
        return new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completionTokens, ["total_tokens"] = prompt + completionTokens };
    }

    /// <summary>The answer as streamed pieces (a word and its trailing space), cut by max_tokens and stop sequences.</summary>
    private static (List<string> Pieces, string Finish) Pieces(string answer, JsonObject body)
    {
        var stops = body["stop"] switch
        {
            JsonArray array => array.Select(s => s!.GetValue<string>()).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => [],
        };
        var finish = "stop";
        foreach (var stop in stops)
        {
            var at = answer.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0) answer = answer[..at];
        }
        var pieces = WordPiece().Matches(answer).Select(m => m.Value).ToList();
        var max = (int?)body["max_completion_tokens"] ?? (int?)body["max_tokens"];
        if (max is { } limit && pieces.Count > limit)
        {
            pieces = pieces[..limit];
            finish = "length";
        }
        return (pieces, finish);
    }

    /// <summary>The first sentence of each of the first two source blocks in the prompt, each followed by its citation.</summary>
    private static string FromSources(string prompt)
    {
        var sentences = SourceBlock().Matches(prompt).Take(2)
            .Select(m => $"{FirstSentence(m.Groups["text"].Value)} [{m.Groups["n"].Value}]").ToList();
        return sentences.Count == 0 ? "The sources do not contain the answer." : string.Join(" ", sentences);
    }

    private static string FirstSentence(string text)
    {
        var body = string.Join(' ', text.Split('\n').Where(l => !l.StartsWith("Title: ", StringComparison.Ordinal))).Trim();
        var end = body.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? body : body[..(end + 1)]).TrimEnd('.') + ".";
    }

    [GeneratedRegex(@"⟦source (?<n>\d+) · [0-9a-f]+⟧\n(?<text>.*?)\n⟦end of source \k<n> · [0-9a-f]+⟧", RegexOptions.Singleline)]
    private static partial Regex SourceBlock();

    [GeneratedRegex(@"\S+\s*")]
    private static partial Regex WordPiece();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
