using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Core.Text;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// Embed the question → search the collection → rerank the candidates → generate an answer from
/// the top chunks. Retrieval runs to completion first, so every error it can raise reaches the
/// caller as a plain problem response before any answer streams.
/// Only the retriever is indispensable. When another service is down, late or broken the query goes down the
/// degradation ladder and says so (<see cref="RetrievalResult.Degraded"/>): no embedder → sparse-only retrieval on
/// terms encoded here; no reranker → retrieval order; no generator → an extractive answer written here.
/// </summary>
public sealed partial class QueryPipeline(IEmbedder embedder, IRetriever retriever, IReranker reranker, IGenerator generator,
    IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<QueryPipeline> logger)
{
    public async Task<RetrievalResult> RetrieveAsync(QueryPlan plan, CancellationToken cancellationToken)
    {
        var timings = new QueryTimings(time);

        var degraded = new List<Degradation>();
        var started = time.GetTimestamp();
        var embedded = await EmbedAsync(plan, degraded, cancellationToken);
        timings.Embed = Record("embed", started);

        var query = embedded.Embeddings[0];
        var warnings = new List<string>();
        var embedderDown = degraded.Count > 0;
        var wantsDense = plan.Fusion != FusionMode.SparseOnly && !embedderDown;
        if (wantsDense && query.Dense.Count == 0)
        {
            var reason = embedded.DenseUnavailableReason is { Length: > 0 } why ? why : "the embedder has no dense model";
            if (plan.Fusion == FusionMode.DenseOnly) throw RagSuiteException.Invalid("mode", $"dense retrieval is not available here: {reason}");
            warnings.Add($"Sparse (BM25) retrieval only: {reason}.");
        }
        if (wantsDense && query.Truncated)
        {
            warnings.Add($"The question is longer than the dense model's token limit; its dense vector covers only the start of it.");
        }

        var candidates = plan.Rerank == RerankMode.None ? plan.TopK : Math.Max(plan.TopK, options.Value.RerankCandidates);
        started = time.GetTimestamp();
        var search = new SearchRequest
        {
            Collection = plan.Collection,
            SparseQuery = query.Sparse,
            Filter = plan.Filter,
            TopK = candidates,
            Fusion = wantsDense ? plan.Fusion : FusionMode.SparseOnly,
            GroupByDocument = plan.GroupByDocument,
            DenseWeight = plan.Alpha,
            RrfK = plan.RrfK,
            Ef = plan.Ef,
            Exact = plan.Exact,
            Tenant = plan.Tenant,
        };
        if (wantsDense)
        {
            search.DenseQuery.AddRange(query.Dense);
            search.DenseModel = embedded.DenseModel;
        }
        SearchResponse found;
        using (GatewayTracing.StartStage("retrieve"))
        {
            found = await retriever.SearchAsync(search, cancellationToken);
        }
        timings.Retrieve = Record("retrieve", started);
        if (wantsDense && query.Dense.Count > 0 && found.Fusion == FusionMode.SparseOnly)
        {
            warnings.Add($"Sparse (BM25) retrieval only: collection '{plan.Collection}' holds no dense vectors (it was created without a dense model); " +
                "re-create it and ingest again to search by meaning.");
        }
        var denseModel = found.Fusion == FusionMode.SparseOnly ? "" : embedded.DenseModel;

        var hits = found.Hits;
        if (plan.Rerank == RerankMode.None || hits.Count == 0)
        {
            var kept = hits.Take(plan.TopK).Select(h => new RankedChunk(h.Point, h.Score, h.Score)).ToList();
            return new RetrievalResult(kept, found, RerankMode.None, "", hits.Count, timings, denseModel, "", warnings) { Degraded = degraded };
        }

        started = time.GetTimestamp();
        var rerankRequest = new RerankRequest { Query = plan.Question, Mode = plan.Rerank };
        rerankRequest.Passages.AddRange(hits.Select(h => ModelText.Of(h.Point.Title, h.Point.Text)));
        rerankRequest.PriorScores.AddRange(hits.Select(h => h.Score));
        if (plan.MmrLambda is { } lambda) rerankRequest.MmrLambda = lambda;
        var reranked = await RerankAsync(rerankRequest, degraded, cancellationToken);
        timings.Rerank = Record("rerank", started);
        if (reranked is null)
        {
            var kept = hits.Take(plan.TopK).Select(h => new RankedChunk(h.Point, h.Score, h.Score)).ToList();
            return new RetrievalResult(kept, found, RerankMode.None, "", hits.Count, timings, denseModel, "", warnings) { Degraded = degraded };
        }

        var chunks = reranked.Scores.Take(plan.TopK)
            .Select(s => new RankedChunk(hits[s.Index].Point, s.Score, hits[s.Index].Score))
            .ToList();
        return new RetrievalResult(chunks, found, reranked.Mode, reranked.Model, hits.Count, timings, denseModel, reranked.Note, warnings)
        {
            Degraded = degraded,
        };
    }

    /// <summary>
    /// The question's vectors from the embedder or, when it is unavailable, its sparse terms encoded here with the
    /// embedder's own encoder (the retriever scores BM25 from term counts alone, so these match what it indexed).
    /// A dense-only query has nothing to fall back on and fails as the embedder did.
    /// </summary>
    private async Task<EmbedResponse> EmbedAsync(QueryPlan plan, List<Degradation> degraded, CancellationToken cancellationToken)
    {
        using var stage = GatewayTracing.StartStage("embed");
        try
        {
            return await embedder.EmbedAsync(new EmbedRequest { Texts = { plan.Question }, Kind = InputKind.Query }, cancellationToken);
        }
        catch (RagSuiteException e) when (ServiceFailures.Degrades(e) && plan.Fusion != FusionMode.DenseOnly)
        {
            GatewayTracing.Degraded(stage, Degradation.SparseOnly);
            Degrade(degraded, "embedder", Degradation.SparseOnly, e);
            return LexicalSparseEncoder.Embed([plan.Question]);
        }
    }

    /// <summary>The reranker's order, or null when it is unavailable: the candidates then keep their retrieval order.</summary>
    private async Task<RerankResponse?> RerankAsync(RerankRequest request, List<Degradation> degraded, CancellationToken cancellationToken)
    {
        using var stage = GatewayTracing.StartStage("rerank");
        try
        {
            return await reranker.RerankAsync(request, cancellationToken);
        }
        catch (RagSuiteException e) when (ServiceFailures.Degrades(e))
        {
            GatewayTracing.Degraded(stage, Degradation.RetrievalOrder);
            Degrade(degraded, "reranker", Degradation.RetrievalOrder, e);
            return null;
        }
    }

    private void Degrade(List<Degradation> degraded, string service, string fallback, RagSuiteException cause)
    {
        degraded.Add(new Degradation(service, fallback, cause.Message));
        metrics.RecordDegraded(service, fallback);
        LogDegraded(logger, service, fallback, cause.Message);
    }

    /// <summary>
    /// Streams the answer's events; the chunks are numbered [1], [2], … in retrieval order. <paramref name="buffered"/>
    /// says the caller shows nothing until the end, so the generator may restart an answer that breaks off midway, and
    /// when the generator service itself fails midway the whole answer is written here instead, as when it fails first.
    /// </summary>
    public async IAsyncEnumerable<GenerateEvent> GenerateAsync(QueryPlan plan, RetrievalResult retrieval, bool buffered,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new GenerateRequest
        {
            Question = plan.Question, Parameters = plan.Parameters, Mode = plan.GenerationMode, Collection = plan.Collection,
            Template = plan.Template, RouteHint = plan.RouteHint, Buffered = buffered,
        };
        request.Passages.AddRange(retrieval.Chunks.Select(c => new SourcePassage { Id = c.Point.Id, Text = c.Point.Text, Title = c.Point.Title }));
        var started = time.GetTimestamp();
        // The span covers the whole answer. The generator's call starts inside it (in CollectAsync, or on the stream's
        // first MoveNextAsync below), so the gRPC client span is its child.
        using var stage = GatewayTracing.StartStage("generate");
        var events = buffered ? await CollectAsync(request, retrieval, stage, cancellationToken) : Stream(request, retrieval, stage, cancellationToken);
        await foreach (var item in events.WithCancellation(cancellationToken)) yield return item;
        retrieval.Timings.Generate = Record("generate", started);
    }

    /// <summary>
    /// A streamed answer: only a generator that fails before its first event is replaced; once an answer has begun, a
    /// failure breaks it off and says so.
    /// </summary>
    private async IAsyncEnumerable<GenerateEvent> Stream(GenerateRequest request, RetrievalResult retrieval, Activity? stage,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = generator.GenerateAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        RagSuiteException? unavailable = null;
        var more = false;
        try
        {
            more = await events.MoveNextAsync();
        }
        catch (RagSuiteException e) when (ServiceFailures.Degrades(e))
        {
            unavailable = e;
        }
        if (unavailable is not null)
        {
            foreach (var item in Fallback(request, retrieval, stage, unavailable)) yield return item;
            yield break;
        }
        while (more)
        {
            yield return events.Current;
            more = await events.MoveNextAsync();
        }
    }

    /// <summary>A buffered answer: the generator's whole answer, or, when it fails at any point, one written here.</summary>
    private async Task<IAsyncEnumerable<GenerateEvent>> CollectAsync(GenerateRequest request, RetrievalResult retrieval, Activity? stage,
        CancellationToken cancellationToken)
    {
        var events = new List<GenerateEvent>();
        try
        {
            await foreach (var item in generator.GenerateAsync(request, cancellationToken)) events.Add(item);
            return events.ToAsyncEnumerable();
        }
        catch (RagSuiteException e) when (ServiceFailures.Degrades(e))
        {
            return Fallback(request, retrieval, stage, e).ToAsyncEnumerable();
        }
    }

    private IEnumerable<GenerateEvent> Fallback(GenerateRequest request, RetrievalResult retrieval, Activity? stage, RagSuiteException cause)
    {
        GatewayTracing.Degraded(stage, Degradation.Extractive);
        Degrade(retrieval.Degraded, "generator", Degradation.Extractive, cause);
        return FallbackAnswer.Write(request, cause.Message);
    }

    private TimeSpan Record(string stage, long started)
    {
        var elapsed = time.GetElapsedTime(started);
        metrics.RecordStage(stage, elapsed);
        return elapsed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query degraded: {Service} unavailable, answered with {Fallback} ({Reason})")]
    private static partial void LogDegraded(ILogger logger, string service, string fallback, string reason);
}
