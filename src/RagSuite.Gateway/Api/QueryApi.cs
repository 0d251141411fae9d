using System.Net.ServerSentEvents;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Gateway.Auth;
using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Api;

/// <summary>
/// <c>POST /v1/query</c>: a grounded answer with citations, per-stage timings and the retrieved
/// chunks. With <c>stream: true</c> the answer arrives as Server-Sent Events — <c>retrieval</c>, then
/// <c>delta</c> events, then <c>citations</c> and <c>done</c> (or <c>error</c>, last, if generation fails midway).
/// </summary>
public static class QueryApi
{
    public static IEndpointRouteBuilder MapQueryApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/query", QueryAsync).WithTags("Query").WithName("Query").WithQueryDeadline()
            .WithSummary("Answer a question from a collection, with citations")
            .WithDescription("With \"stream\": true the response is text/event-stream: retrieval, delta…, citations, done.")
            .Produces<QueryResponse>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<Results<Ok<QueryResponse>, ServerSentEventsResult<object>>> QueryAsync(QueryBody body,
        QueryPipeline pipeline, ProblemMapper problems, IOptions<GatewayOptions> options, HttpContext context,
        CancellationToken cancellationToken)
    {
        var plan = ApiAccess.Scope(context, QueryRequests.ToPlan(body, options.Value));
        var retrieval = await pipeline.RetrieveAsync(plan, cancellationToken);
        if (body.Stream == true)
        {
            var streamed = plan.Generate ? await StreamedAnswer.StartAsync(pipeline.GenerateAsync(plan, retrieval, buffered: false, cancellationToken), cancellationToken) : null;
            return TypedResults.ServerSentEvents(StreamAsync(retrieval, streamed, problems, context));
        }

        if (!plan.Generate)
        {
            return TypedResults.Ok(new QueryResponse(null, null, null, [], QueryViews.Results(retrieval),
                QueryViews.Retrieval(retrieval), QueryViews.Timings(retrieval.Timings), Degraded: QueryViews.Degraded(retrieval)));
        }

        var answer = new StringBuilder();
        GenerateResult? result = null;
        await foreach (var item in pipeline.GenerateAsync(plan, retrieval, buffered: true, cancellationToken))
        {
            if (item.EventCase == GenerateEvent.EventOneofCase.Delta) answer.Append(item.Delta);
            else result = item.Result;
        }
        return TypedResults.Ok(new QueryResponse(answer.ToString(), result?.Mode, result?.FinishReason,
            QueryViews.Citations(retrieval, result?.CitedPassages ?? []), QueryViews.Results(retrieval),
            QueryViews.Retrieval(retrieval), QueryViews.Timings(retrieval.Timings), QueryViews.Generation(result), QueryViews.Degraded(retrieval)));
    }

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(RetrievalResult retrieval, StreamedAnswer? answer,
        ProblemMapper problems, HttpContext context)
    {
        yield return new SseItem<object>(new RetrievalEvent(QueryViews.Results(retrieval), QueryViews.Retrieval(retrieval)), "retrieval");
        if (answer is null)
        {
            yield return new SseItem<object>(new DoneEvent(null, null, QueryViews.Timings(retrieval.Timings), Degraded: QueryViews.Degraded(retrieval)), "done");
            yield break;
        }

        await using var _ = answer;
        await foreach (var piece in answer.ReadAsync())
        {
            if (piece is string delta)
            {
                yield return new SseItem<object>(new DeltaEvent(delta), "delta");
                continue;
            }
            var end = (AnswerEnd)piece;
            var result = end.Result;
            // Headers are gone already: a failure travels as the stream's last event, after the text already sent.
            if (end.Failure is not null) yield return new SseItem<object>(problems.ToProblem(end.Failure, context), "error");
            else if (end.BrokeOff) yield return new SseItem<object>(problems.BrokenAnswer(result!.Error, QueryViews.Generation(result), context), "error");
            else
            {
                yield return new SseItem<object>(new CitationsEvent(QueryViews.Citations(retrieval, result?.CitedPassages ?? [])), "citations");
                yield return new SseItem<object>(new DoneEvent(result?.Mode, result?.FinishReason, QueryViews.Timings(retrieval.Timings),
                    QueryViews.Generation(result), QueryViews.Degraded(retrieval)), "done");
            }
        }
    }
}
