using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RagSuite.Gateway.Api;

namespace RagSuite.Cli.Evaluation;

/// <summary>
/// Asks the same questions of several suites (embedded and distributed) in one run, so that whatever else the
/// machine is doing hits them alike: at each concurrency the queries are cut into blocks, and every block is asked of
/// each suite in turn (the order alternating from block to block), with that many clients at once. Latency percentiles,
/// throughput (queries over the time spent on that suite's blocks) and stage medians are the suite's own; for a suite
/// whose roles are remote, each stage's hop is the gateway's stage time minus the service's own time for the call.
/// </summary>
public sealed class SideBySideBenchmark
{
    private const int WarmUpQueries = 30;

    public sealed record Settings(IReadOnlyList<int> Concurrency, int Rounds = 1, int TopK = 5, string Rerank = "auto", int BlockQueries = 25);

    /// <summary>A suite to ask: its mode's name, its gateway and the collection holding the dataset there.</summary>
    public sealed record Suite(string Mode, GatewayClient Client, string Collection, string Target, bool Remote);

    private sealed record Sample(double Latency, TimingsView Server, string Mode, string Rerank);

    private static readonly string[] Stages = ["embed", "retrieve", "rerank", "generate"];

    public static async Task<CompareReport> RunAsync(BeirDataset dataset, IReadOnlyList<Suite> suites, Settings settings,
        Action<int> progress, CancellationToken cancellationToken)
    {
        var questions = dataset.Queries.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Value).ToList();
        var rerank = JsonSerializer.SerializeToElement(settings.Rerank);
        using var meter = new HopMeter();

        foreach (var suite in suites)
        {
            foreach (var question in questions.Take(WarmUpQueries))
            {
                await suite.Client.QueryAsync(new QueryBody(question, suite.Collection, settings.TopK, rerank), cancellationToken);
            }
        }

        var runs = new List<ModeRun>();
        var hops = new List<HopCost>();
        foreach (var concurrency in settings.Concurrency)
        {
            var all = Enumerable.Repeat(questions, settings.Rounds).SelectMany(q => q).ToList();
            var samples = suites.ToDictionary(s => s, _ => new ConcurrentBag<Sample>());
            var calls = suites.ToDictionary(s => s, _ => new ConcurrentQueue<(string Route, double Ms)>());
            var busy = suites.ToDictionary(s => s, _ => TimeSpan.Zero);
            var blocks = all.Chunk(settings.BlockQueries).ToList();
            for (var b = 0; b < blocks.Count; b++)
            {
                for (var i = 0; i < suites.Count; i++)
                {
                    var suite = suites[(b + i) % suites.Count];
                    meter.Sink = calls[suite];
                    busy[suite] += await AskAsync(suite, blocks[b], concurrency, settings.TopK, rerank, samples[suite], progress, cancellationToken);
                    meter.Sink = null;
                }
            }

            foreach (var suite in suites)
            {
                var taken = samples[suite].ToList();
                var latencies = taken.Select(s => s.Latency).ToList();
                double Median(Func<TimingsView, double> stage) => Percentiles.Of([.. taken.Select(s => stage(s.Server))], 0.5);
                runs.Add(new ModeRun(suite.Mode, suite.Target, suite.Collection, concurrency, taken.Count,
                    taken.FirstOrDefault()?.Rerank ?? settings.Rerank, taken.FirstOrDefault()?.Mode ?? "",
                    Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.95), Percentiles.Of(latencies, 0.99),
                    latencies.Count == 0 ? 0 : latencies.Average(), taken.Count / busy[suite].TotalSeconds,
                    Median(t => t.Embed), Median(t => t.Retrieve), Median(t => t.Rerank), Median(t => t.Generate)));
            }
            var inProcess = runs.LastOrDefault(r => r.Concurrency == concurrency && !suites.Single(s => s.Mode == r.Mode).Remote);
            foreach (var suite in suites.Where(s => s.Remote))
            {
                var run = runs.Last(r => r.Mode == suite.Mode && r.Concurrency == concurrency);
                foreach (var stage in Stages)
                {
                    var route = HopMeter.RouteOf(stage);
                    var own = calls[suite].Where(c => c.Route == route).Select(c => c.Ms).ToList();
                    // A stage most queries ran without a call (AUTO reranking answered by the client) has no hop to speak of.
                    if (own.Count * 2 < run.Queries) continue;
                    var stageP50 = StageOf(run, stage);
                    var serviceP50 = Percentiles.Of(own, 0.5);
                    hops.Add(new HopCost(suite.Mode, concurrency, stage, route, own.Count, stageP50, serviceP50, stageP50 - serviceP50,
                        inProcess is null ? null : StageOf(inProcess, stage)));
                }
            }
        }

        var baseline = suites[0].Mode;
        var differences = runs.Where(r => r.Mode != baseline)
            .Select(r => (Run: r, Base: runs.Single(b => b.Mode == baseline && b.Concurrency == r.Concurrency)))
            .Select(p => new ModeDifference(p.Run.Mode, baseline, p.Run.Concurrency, p.Run.LatencyP50Ms - p.Base.LatencyP50Ms,
                p.Run.LatencyP95Ms - p.Base.LatencyP95Ms, p.Run.QueriesPerSecond / p.Base.QueriesPerSecond))
            .ToList();
        return new CompareReport(dataset.Name, settings.TopK, settings.Rerank, settings.BlockQueries, runs, hops, differences);
    }

    private static double StageOf(ModeRun run, string stage) => stage switch
    {
        "embed" => run.EmbedP50Ms,
        "retrieve" => run.RetrieveP50Ms,
        "rerank" => run.RerankP50Ms,
        _ => run.GenerateP50Ms,
    };

    /// <summary>Asks one block of questions of one suite from <paramref name="concurrency"/> clients; returns the time it took.</summary>
    private static async Task<TimeSpan> AskAsync(Suite suite, string[] block, int concurrency, int topK, JsonElement rerank,
        ConcurrentBag<Sample> samples, Action<int> progress, CancellationToken cancellationToken)
    {
        var work = new ConcurrentQueue<string>(block);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, block.Length)).Select(_ => Task.Run(async () =>
        {
            while (work.TryDequeue(out var question))
            {
                var started = Stopwatch.GetTimestamp();
                var response = await suite.Client.QueryAsync(new QueryBody(question, suite.Collection, topK, rerank), cancellationToken);
                samples.Add(new Sample(Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.TimingsMs, response.Mode ?? "",
                    response.Retrieval.Rerank));
                progress(1);
            }
        }, cancellationToken)));
        return wall.Elapsed;
    }
}
