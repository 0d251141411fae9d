using System.Text.Json;
using RagSuite.Testing;
using Xunit.Abstractions;

namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// The "Fault injection" harness (issue 9): distributed mode with two replicas of each service, each replica a process
/// of its own, behind the gateway's client-side balancing; an open-loop load of 20 queries/s while one replica of each
/// service in turn is killed with SIGKILL and started again. Every query must be answered (200), none failed; answers
/// that fell back (a generator killed mid-answer) are counted and reported, as are p50/p99 overall and during the
/// faults. Short by default (CI); 60 s with <c>RAGSUITE_HARNESS=full</c>.
/// </summary>
[Collection(RunsAlone.Name)]
[Trait("Category", RunsAlone.Category)]
public sealed class FaultInjectionHarnessTests(ITestOutputHelper output)
{
    private const double Rate = 20;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly string[] Roles = ["Embedder", "Retriever", "Reranker", "Generator"];

    [Fact]
    public async Task Killing_one_replica_of_each_service_in_turn_under_load_fails_no_query()
    {
        var full = string.Equals(Environment.GetEnvironmentVariable("RAGSUITE_HARNESS"), "full", StringComparison.OrdinalIgnoreCase);
        var duration = TimeSpan.FromSeconds(full ? 60 : 24);
        using var first = new TemporaryDirectory("ragsuite-faults-a");
        using var second = new TemporaryDirectory("ragsuite-faults-b");
        await IngestAsync(first.Path);
        CopyDirectory(first.Path, second.Path);

        var replicas = new List<ServiceProcess>();
        try
        {
            foreach (var role in Roles)
            {
                for (var replica = 0; replica < 2; replica++)
                {
                    replicas.Add(new ServiceProcess(role, replica, role == "Retriever"
                        ? [$"--RagSuite:Retriever:DataDirectory={(replica == 0 ? first.Path : second.Path)}"]
                        : ["--RagSuite:Embedder:Model="]));
                }
            }
            foreach (var replica in replicas) replica.Start();
            foreach (var replica in replicas) await replica.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

            // Every query calls every service: the sparse-only embedders and the rerankers without a cross-encoder would
            // otherwise be answered for by the gateway's clients (ConfigurationMemory), and their kills would go unfelt.
            await using var gateway = await RunningHost.StartAsync(GatewayHost.Build,
            [
                .. replicas.Select(r => $"RagSuite:Services:{r.Role}:Addresses:{r.Replica}={r.GrpcAddress}"),
                .. Roles.Select(role => $"RagSuite:Services:{role}:ConfigurationMemory=00:00:00"),
            ]);
            using var client = gateway.CreateHttpClient();
            var bodies = LoadCorpus.Questions.Select(q => (object)new { collection = LoadCorpus.Collection, question = q }).ToList();
            // Warm-up, unjudged: connections to every replica, JIT.
            await QueryLoad.RunAsync(client, bodies, Rate, TimeSpan.FromSeconds(3), CancellationToken.None);

            var faults = new List<Fault>();
            var load = QueryLoad.RunAsync(client, bodies, Rate, duration, CancellationToken.None);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var slot = duration / Roles.Length;
            for (var i = 0; i < Roles.Length; i++)
            {
                var due = slot * i + slot / 4;
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                var victim = replicas.First(r => r.Role == Roles[i] && r.Replica == 0);
                var killed = clock.Elapsed;
                victim.Kill();
                victim.Start();
                await victim.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
                faults.Add(new Fault(Roles[i], killed, clock.Elapsed));
            }
            var outcomes = await load;

            var report = Report(outcomes, faults, full ? "full" : "short", duration);
            var json = JsonSerializer.Serialize(report, Indented);
            output.WriteLine(json);
            var directory = HarnessSettings.FromEnvironment().ReportDirectory;
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, $"faults-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"),
                json);

            var failed = outcomes.Where(o => o.Status != 200).ToList();
            Assert.True(failed.Count == 0, $"{failed.Count} of {outcomes.Count} queries failed: " +
                string.Join("; ", failed.Take(5).Select(f => $"{f.Status} {f.Failure}")));
            Assert.True(outcomes.Count >= Rate * duration.TotalSeconds * 0.99, $"only {outcomes.Count} queries were asked");
        }
        finally
        {
            foreach (var replica in replicas) replica.Dispose();
        }
    }

    private sealed record Fault(string Role, TimeSpan Killed, TimeSpan Ready);

    private static object Report(IReadOnlyList<QueryOutcome> outcomes, IReadOnlyList<Fault> faults, string form, TimeSpan duration)
    {
        // During a fault: from the kill until 2 s after the replica is ready again (its reconnection included).
        bool During(QueryOutcome o) => faults.Any(f => o.Started >= f.Killed && o.Started <= f.Ready + TimeSpan.FromSeconds(2));
        var during = outcomes.Where(During).ToList();
        return new
        {
            form,
            cores = Environment.ProcessorCount,
            rate_per_second = Rate,
            duration_s = duration.TotalSeconds,
            queries = outcomes.Count,
            failed = outcomes.Count(o => o.Status != 200),
            degraded = outcomes.SelectMany(o => o.Degraded).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count()),
            p50_ms = Percentile(outcomes, 0.50),
            p99_ms = Percentile(outcomes, 0.99),
            during_faults = new { queries = during.Count, p50_ms = Percentile(during, 0.50), p99_ms = Percentile(during, 0.99) },
            faults = faults.Select(f => new { role = f.Role, killed_at_s = f.Killed.TotalSeconds, back_after_s = (f.Ready - f.Killed).TotalSeconds }),
        };
    }

    private static double Percentile(IReadOnlyList<QueryOutcome> outcomes, double p)
    {
        if (outcomes.Count == 0) return 0;
        var sorted = outcomes.Select(o => o.LatencyMs).Order().ToList();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 1);
    }

    /// <summary>The harness's collection, ingested once through an embedded gateway; each retriever replica gets a copy.</summary>
    private static async Task IngestAsync(string dataDirectory)
    {
        await using var gateway = await RunningHost.StartAsync(GatewayHost.Build,
            $"RagSuite:Retriever:DataDirectory={dataDirectory}", "RagSuite:Embedder:Model=");
        using var client = gateway.CreateHttpClient();
        await client.CreateCollectionAsync(LoadCorpus.Collection);
        foreach (var batch in LoadCorpus.Documents.Chunk(100)) await client.IngestAsync(LoadCorpus.Collection, batch);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
