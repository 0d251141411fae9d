using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Api;

/// <summary>
/// <c>POST /v1/query</c>: a grounded answer with citations, per-stage timings and the retrieved
/// chunks. With <c>stream: true</c> the answer arrives as Server-Sent Events — <c>retrieval</c>, then
/// <c>delta</c> events, then <c>citations</c> and <c>done</c> (or <c>error</c> if generation fails midway).
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
            return TypedResults.ServerSentEvents(StreamAsync(plan, retrieval, pipeline, problems, context, cancellationToken));
        }

        if (!plan.Generate)
        {
            return TypedResults.Ok(new QueryResponse(null, null, null, [], QueryViews.Results(retrieval),
                QueryViews.Retrieval(retrieval), QueryViews.Timings(retrieval.Timings)));
        }

        var answer = new StringBuilder();
        GenerateResult? result = null;
        await foreach (var item in pipeline.GenerateAsync(plan, retrieval, cancellationToken))
        {
            if (item.EventCase == GenerateEvent.EventOneofCase.Delta) answer.Append(item.Delta);
            else result = item.Result;
        }
        return TypedResults.Ok(new QueryResponse(answer.ToString(), result?.Mode, result?.FinishReason,
            QueryViews.Citations(retrieval, result?.CitedPassages ?? []), QueryViews.Results(retrieval),
            QueryViews.Retrieval(retrieval), QueryViews.Timings(retrieval.Timings)));
    }

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(QueryPlan plan, RetrievalResult retrieval, QueryPipeline pipeline,
        ProblemMapper problems, HttpContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new SseItem<object>(new RetrievalEvent(QueryViews.Results(retrieval), QueryViews.Retrieval(retrieval)), "retrieval");

        GenerateResult? result = null;
        if (plan.Generate)
        {
            await using var events = pipeline.GenerateAsync(plan, retrieval, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                object? failure = null;
                try
                {
                    if (!await events.MoveNextAsync()) break;
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
                if (events.Current.EventCase == GenerateEvent.EventOneofCase.Delta)
                {
                    yield return new SseItem<object>(new DeltaEvent(events.Current.Delta), "delta");
                }
                else
                {
                    result = events.Current.Result;
                }
            }
            yield return new SseItem<object>(new CitationsEvent(QueryViews.Citations(retrieval, result?.CitedPassages ?? [])), "citations");
        }
        yield return new SseItem<object>(new DoneEvent(result?.Mode, result?.FinishReason, QueryViews.Timings(retrieval.Timings)), "done");
    }
}
