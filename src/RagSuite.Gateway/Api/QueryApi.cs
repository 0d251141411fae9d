using System.Net.ServerSentEvents;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
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
        app.MapPost("/v1/query", QueryAsync).WithTags("Query").WithName("Query")
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
        var plan = QueryRequests.ToPlan(body, options.Value);
        var retrieval = await pipeline.RetrieveAsync(plan, cancellationToken);
        if (body.Stream == true)
        {
            // The first answer event is awaited before the response starts, so a request the generator
            // refuses still gets a plain problem response rather than a stream that ends in an error.
            var events = plan.Generate ? pipeline.GenerateAsync(plan, retrieval, buffered: false, cancellationToken).GetAsyncEnumerator(cancellationToken) : null;
            var hasFirst = false;
            try
            {
                hasFirst = events is not null && await events.MoveNextAsync();
            }
            catch
            {
                if (events is not null) await events.DisposeAsync();
                throw;
            }
            return TypedResults.ServerSentEvents(StreamAsync(retrieval, events, hasFirst, problems, context));
        }

        if (!plan.Generate)
        {
            return TypedResults.Ok(new QueryResponse(null, null, null, [], QueryViews.Results(retrieval),
                QueryViews.Retrieval(retrieval), QueryViews.Timings(retrieval.Timings)));
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
            QueryViews.Retrieval(retrieval), QueryViews.Timings(retrieval.Timings), QueryViews.Generation(result)));
    }

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(RetrievalResult retrieval,
        IAsyncEnumerator<GenerateEvent>? answer, bool hasFirst, ProblemMapper problems, HttpContext context)
    {
        yield return new SseItem<object>(new RetrievalEvent(QueryViews.Results(retrieval), QueryViews.Retrieval(retrieval)), "retrieval");
        if (answer is null)
        {
            yield return new SseItem<object>(new DoneEvent(null, null, QueryViews.Timings(retrieval.Timings)), "done");
            yield break;
        }

        await using var events = answer;
        GenerateResult? result = null;
        var more = hasFirst;
        while (more)
        {
            if (events.Current.EventCase == GenerateEvent.EventOneofCase.Delta)
            {
                yield return new SseItem<object>(new DeltaEvent(events.Current.Delta), "delta");
            }
            else
            {
                result = events.Current.Result;
            }

            object? failure = null;
            try
            {
                more = await events.MoveNextAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Headers are gone already: the failure travels as the stream's last event.
                failure = problems.ToProblem(e, context);
            }
            if (failure is not null)
            {
                yield return new SseItem<object>(failure, "error");
                yield break;
            }
        }
        if (result is { FinishReason: "error" })
        {
            // The upstream broke off after its first token: what was streamed stands, and the stream ends with why.
            yield return new SseItem<object>(problems.BrokenAnswer(result.Error, QueryViews.Generation(result), context), "error");
            yield break;
        }
        yield return new SseItem<object>(new CitationsEvent(QueryViews.Citations(retrieval, result?.CitedPassages ?? [])), "citations");
        yield return new SseItem<object>(new DoneEvent(result?.Mode, result?.FinishReason, QueryViews.Timings(retrieval.Timings),
            QueryViews.Generation(result)), "done");
    }
}
