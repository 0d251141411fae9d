using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RagSuite.Gateway.Api;

namespace RagSuite.Cli.Evaluation;

/// <summary>
/// Asks a dataset's queries as real questions (retrieval, reranking and an answer), from a number of
/// concurrent clients, and measures what a user waits: client-side latency percentiles, throughput,
/// and the gateway's own per-stage medians. A few queries run first, unmeasured, to warm the JIT.
/// </summary>
public sealed class QueryBenchmark(GatewayClient client)
{
    private const int WarmUpQueries = 10;

    public sealed record Settings(int Concurrency = 1, int Rounds = 1, int TopK = 5, string Rerank = "auto");

    public async Task<BenchReport> RunAsync(BeirDataset dataset, string collection, string target, Settings settings,
        Action<int> progress, CancellationToken cancellationToken)
    {
        var questions = dataset.Queries.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Value).ToList();
        var rerank = JsonSerializer.SerializeToElement(settings.Rerank);
        QueryBody Body(string question) => new(question, collection, settings.TopK, rerank);

        foreach (var question in questions.Take(WarmUpQueries))
        {
            await client.QueryAsync(Body(question), cancellationToken);
        }

        var work = new ConcurrentQueue<string>(Enumerable.Repeat(questions, settings.Rounds).SelectMany(q => q));
        var samples = new ConcurrentBag<(double Latency, TimingsView Server, string Mode, string Rerank)>();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (work.TryDequeue(out var question))
            {
                var started = Stopwatch.GetTimestamp();
                var response = await client.QueryAsync(Body(question), cancellationToken);
                samples.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.TimingsMs, response.Mode ?? "", response.Retrieval.Rerank));
                progress(1);
            }
        }, cancellationToken)));
        wall.Stop();

        var latencies = samples.Select(s => s.Latency).ToList();
        double Median(Func<TimingsView, double> stage) => Percentiles.Of([.. samples.Select(s => stage(s.Server))], 0.5);
        return new BenchReport(dataset.Name, collection, target, samples.Count, settings.Concurrency, settings.TopK,
            samples.FirstOrDefault().Rerank ?? settings.Rerank, samples.FirstOrDefault().Mode ?? "",
            Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.95), Percentiles.Of(latencies, 0.99), latencies.Average(),
            samples.Count / wall.Elapsed.TotalSeconds,
            Median(t => t.Embed), Median(t => t.Retrieve), Median(t => t.Rerank), Median(t => t.Generate));
    }
}
