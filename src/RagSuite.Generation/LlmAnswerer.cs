using System.Runtime.CompilerServices;
using System.Text;
using RagSuite.Contracts.V1;
using RagSuite.Generation.Grounding;
using RagSuite.Generation.Prompts;
using RagSuite.Generation.Routing;
using RagSuite.Generation.Upstreams;

namespace RagSuite.Generation;

/// <summary>
/// Answers through the LLM upstreams: orders them by the routing policy, packs the prompt to each one's context
/// window, and streams the first that starts, through the citation check. A failure before the first token goes to
/// the next upstream; a failure after it ends the answer with an error (or, when the caller buffers, goes to the next
/// upstream as well, since nothing has been shown).
/// </summary>
public sealed class LlmAnswerer(UpstreamRouter router, IReadOnlyList<ChatUpstream> upstreams, GeneratorMetrics metrics, TimeProvider time)
{
    public sealed record Request(string Question, string Collection, string Hint, PromptTemplate Template, IReadOnlyList<SourceBlock> Sources,
        GenerationParameters Parameters, int MaxTokens, bool Buffered, string OnlyUpstream);

    public bool HasUpstreams => upstreams.Count > 0;

    public IReadOnlyList<ChatUpstream> Upstreams => upstreams;

    public async IAsyncEnumerable<string> AnswerAsync(Request request, LlmOutcome outcome, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var nonce = SourceBlock.NewNonce();
        var order = request.OnlyUpstream.Length > 0
            ? [.. upstreams.Where(u => u.Name == request.OnlyUpstream)]
            : router.Order(new RouteRequest(request.Collection, request.Hint, request.MaxTokens,
                u => ContextPacker.FullPromptTokens(request.Template, request.Sources, request.Question, request.Collection, u.Counter, nonce)));
        outcome.Template = request.Template.Id;

        foreach (var upstream in order)
        {
            using var slot = await upstream.EnterAsync(cancellationToken);
            if (slot is null)
            {
                Skip(outcome, upstream, $"it is at its concurrency limit ({upstream.Options.MaxConcurrency})");
                continue;
            }
            var packed = ContextPacker.Pack(request.Template, request.Sources, request.Question, request.Collection, upstream.Counter,
                upstream.Options.ContextWindow, request.MaxTokens, nonce);
            if (packed is null || (packed.Sent.Count == 0 && request.Sources.Count > 0))
            {
                Skip(outcome, upstream, $"the prompt does not fit its context window of {upstream.Options.ContextWindow} tokens with max_tokens {request.MaxTokens}");
                continue;
            }

            var started = time.GetTimestamp();
            UpstreamCall call;
            try
            {
                call = await upstream.StartAsync(packed, request.Parameters, request.MaxTokens, time, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Fail(outcome, upstream, UpstreamFailure.Of(e), "failed", started);
                continue;
            }

            await using var _ = call;
            var filter = new CitationFilter(packed.Sent.ToHashSet());
            var buffer = new StringBuilder();
            var written = new StringBuilder();
            var replies = call.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            UpstreamFailure? midway = null;
            (string? Finish, int? In, int? Out) end = default;
            while (true)
            {
                try
                {
                    if (!await replies.MoveNextAsync()) break;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    midway = UpstreamFailure.Of(e);
                    break;
                }
                var reply = replies.Current;
                end = (reply.FinishReason ?? end.Finish, reply.PromptTokens ?? end.In, reply.CompletionTokens ?? end.Out);
                var text = filter.Push(reply.Text);
                written.Append(reply.Text);
                if (text.Length == 0) continue;
                if (request.Buffered) buffer.Append(text);
                else yield return text;
            }
            await replies.DisposeAsync();
            var rest = filter.Flush();

            if (midway is not null && request.Buffered)
            {
                Fail(outcome, upstream, midway, "failed_midway", started);
                continue;
            }
            if (request.Buffered) yield return buffer.Append(rest).ToString();
            else if (rest.Length > 0) yield return rest;

            outcome.Upstream = upstream;
            outcome.Sent = packed.Sent;
            outcome.Dropped = packed.Dropped;
            outcome.Truncated = packed.Truncated;
            outcome.Cited = filter.Cited;
            outcome.CitationsRemoved = filter.Removed;
            outcome.PromptTokens = end.In ?? packed.PromptTokens;
            outcome.CompletionTokens = end.Out ?? upstream.Counter.Count(written.ToString());
            outcome.Cost = (outcome.PromptTokens * upstream.Options.InputCostPer1k + outcome.CompletionTokens * upstream.Options.OutputCostPer1k) / 1000;
            if (midway is not null)
            {
                outcome.FinishReason = "error";
                outcome.Error = $"The answer broke off: upstream '{upstream.Name}' failed after its first token ({midway.Reason}).";
                Fail(outcome, upstream, midway, "failed_midway", started);
                yield break;
            }
            outcome.FinishReason = end.Finish ?? "stop";
            outcome.Attempts.Add(new UpstreamAttempt { Upstream = upstream.Name, Outcome = "answered" });
            metrics.UpstreamAnswered(upstream.Name, call.TimeToFirstToken, time.GetElapsedTime(started), outcome.PromptTokens,
                outcome.CompletionTokens, outcome.Cost, "answered");
            yield break;
        }
    }

    private static void Skip(LlmOutcome outcome, ChatUpstream upstream, string reason) =>
        outcome.Attempts.Add(new UpstreamAttempt { Upstream = upstream.Name, Outcome = "skipped", Reason = reason });

    private void Fail(LlmOutcome outcome, ChatUpstream upstream, UpstreamFailure failure, string kind, long started)
    {
        outcome.Attempts.Add(new UpstreamAttempt { Upstream = upstream.Name, Outcome = kind, Reason = failure.Reason });
        metrics.UpstreamFailed(upstream.Name, failure.Kind, time.GetElapsedTime(started));
    }
}
