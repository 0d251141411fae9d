using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// Embed the question → search the collection → rerank the candidates → generate an answer from
/// the top chunks. Retrieval runs to completion first, so every error it can raise reaches the
/// caller as a plain problem response before any answer streams.
/// </summary>
public sealed class QueryPipeline(IEmbedder embedder, IRetriever retriever, IReranker reranker, IGenerator generator,
    IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider time)
{
    public async Task<RetrievalResult> RetrieveAsync(QueryPlan plan, CancellationToken cancellationToken)
    {
        var timings = new QueryTimings(time);

        var started = time.GetTimestamp();
        var embedded = await embedder.EmbedAsync(new EmbedRequest { Texts = { plan.Question }, Kind = InputKind.Query }, cancellationToken);
        timings.Embed = Record("embed", started);

        var query = embedded.Embeddings[0];
        var warnings = new List<string>();
        var wantsDense = plan.Fusion != FusionMode.SparseOnly;
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
            Fusion = plan.Fusion,
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
        var found = await retriever.SearchAsync(search, cancellationToken);
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
            return new RetrievalResult(kept, found, RerankMode.None, "", hits.Count, timings, denseModel, "", warnings);
        }

        started = time.GetTimestamp();
        var rerankRequest = new RerankRequest { Query = plan.Question, Mode = plan.Rerank };
        rerankRequest.Passages.AddRange(hits.Select(h => ModelText.Of(h.Point.Title, h.Point.Text)));
        rerankRequest.PriorScores.AddRange(hits.Select(h => h.Score));
        if (plan.MmrLambda is { } lambda) rerankRequest.MmrLambda = lambda;
        var reranked = await reranker.RerankAsync(rerankRequest, cancellationToken);
        timings.Rerank = Record("rerank", started);

        var chunks = reranked.Scores.Take(plan.TopK)
            .Select(s => new RankedChunk(hits[s.Index].Point, s.Score, hits[s.Index].Score))
            .ToList();
        return new RetrievalResult(chunks, found, reranked.Mode, reranked.Model, hits.Count, timings, denseModel, reranked.Note, warnings);
    }

    /// <summary>
    /// Streams the answer's events; the chunks are numbered [1], [2], … in retrieval order. <paramref name="buffered"/>
    /// says the caller shows nothing until the end, so the generator may restart an answer that breaks off midway.
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
        await foreach (var item in generator.GenerateAsync(request, cancellationToken))
        {
            yield return item;
        }
        retrieval.Timings.Generate = Record("generate", started);
    }

    private TimeSpan Record(string stage, long started)
    {
        var elapsed = time.GetElapsedTime(started);
        metrics.RecordStage(stage, elapsed);
        return elapsed;
    }
}
