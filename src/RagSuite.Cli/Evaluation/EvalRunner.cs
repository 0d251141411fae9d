using System.Diagnostics;
using System.Text.Json;
using RagSuite.Gateway.Api;

namespace RagSuite.Cli.Evaluation;

/// <summary>
/// Ingests a BEIR corpus (idempotently: a second run skips every unchanged document), then asks
/// every judged query through <c>POST /v1/query</c> without generation, one best chunk per document,
/// and scores the document rankings. Queries run one at a time, so the latencies are uncontended.
/// </summary>
public sealed class EvalRunner(GatewayClient client)
{
    public const int RankingDepth = 100;

    /// <summary>How the queries are asked: rerank mode, retrieval mode, hybrid fusion and its parameters (null = the gateway's defaults).</summary>
    public sealed record Settings(string Rerank = "none", string? Fusion = null, string? Mode = null, float? Alpha = null, int? RrfK = null,
        float? MmrLambda = null);

    public async Task IngestAsync(BeirDataset dataset, string collection, Action<int> progress, CancellationToken cancellationToken)
    {
        if (await client.FindCollectionAsync(collection, cancellationToken) is null)
        {
            await client.CreateCollectionAsync(new CreateCollectionBody(collection, null, null), cancellationToken);
        }
        await new Ingester(client).IngestAsync(collection, dataset.CorpusPath, [dataset.CorpusPath], progress, cancellationToken);
    }

    public async Task<EvalReport> EvaluateAsync(BeirDataset dataset, string collection, string target, Settings settings,
        Action<int> progress, CancellationToken cancellationToken)
    {
        var scores = new List<RankingMetrics.Scores>(dataset.Queries.Count);
        var latencies = new List<double>(dataset.Queries.Count);
        var rerank = JsonSerializer.SerializeToElement(settings.Rerank);
        QueryResponse? last = null;
        foreach (var (id, text) in dataset.Queries.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            var started = Stopwatch.GetTimestamp();
            last = await client.QueryAsync(new QueryBody(text, collection, RankingDepth, rerank, settings.Fusion,
                Generate: false, GroupByDocument: true, Mode: settings.Mode, Alpha: settings.Alpha, RrfK: settings.RrfK, MmrLambda: settings.MmrLambda),
                cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            scores.Add(RankingMetrics.Score([.. last.Results.Select(r => r.DocumentId)], dataset.Judgments[id]));
            progress(1);
        }
        return new EvalReport(dataset.Name, collection, target, scores.Count,
            scores.Average(s => s.Ndcg10), scores.Average(s => s.Mrr10), scores.Average(s => s.Recall100), scores.Average(s => s.Map100),
            Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.95), latencies.Average(),
            last?.Retrieval.Fusion ?? "", last?.Retrieval.Rerank ?? settings.Rerank, last?.Retrieval.Mode ?? "", last?.Retrieval.DenseModel,
            last?.Retrieval.Alpha, last?.Retrieval.RrfK, last?.Retrieval.Warnings);
    }
}
