using System.CommandLine;
using System.Text.Json;
using RagSuite.Cli.Evaluation;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite bench --dataset DIR</c>: ingest a BEIR dataset's corpus, then ask its queries as real
/// questions from <c>--concurrency</c> clients and report latency percentiles, throughput and the
/// median time of each pipeline stage. With <c>--compare embedded,distributed</c> it starts both suites in this
/// process, ingests the dataset into each and asks them the same queries side by side (see <see cref="SideBySideBenchmark"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "BEIR directory whose queries are asked", Required = true };
        var collection = CommonOptions.Collection(required: false);
        var concurrency = new Option<int[]>("--concurrency")
        {
            Description = "Clients asking at once; with --compare a list such as 1,4 (its default)",
            DefaultValueFactory = _ => [1],
            CustomParser = ParseList,
            Arity = ArgumentArity.ExactlyOne,
        };
        var compare = new Option<string[]?>("--compare")
        {
            Description = $"Run these modes side by side in one run, asking the same queries of each in alternating blocks: {string.Join(",", Modes)} " +
                "(distributed: the four service hosts on loopback ports in this process, and a gateway calling them over gRPC); " +
                "each keeps its data under --data/<mode>",
            CustomParser = ParseModes,
            Arity = ArgumentArity.ExactlyOne,
        };
        var block = new Option<int>("--block") { Description = "With --compare: queries asked of one mode before the next mode's turn", DefaultValueFactory = _ => 25 };
        var rounds = new Option<int>("--rounds") { Description = "Times each query is asked", DefaultValueFactory = _ => 1 };
        var topK = new Option<int>("--top-k", "-k") { Description = "Chunks each answer is written from", DefaultValueFactory = _ => 5 };
        var rerank = new Option<string>("--rerank") { Description = "auto, lexical, cross-encoder or none", DefaultValueFactory = _ => "auto" };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file" };
        var data = CommonOptions.Data();
        var models = CommonOptions.Models();
        var server = CommonOptions.Server();
        foreach (var positive in new[] { rounds, topK, block })
        {
            positive.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() < 1) result.AddError($"{positive.Name} must be at least 1.");
            });
        }
        var command = new Command("bench", "Measure answered-query latency and throughput on a BEIR dataset's queries (or, with 'embedder', a model's throughput)")
        {
            BenchEmbedderCommand.Create(),
            BenchStoreCommand.Create(),
            dataset, collection, concurrency, compare, block, rounds, topK, rerank, json, data, models, server,
        };
        // Reads tokens, not values: an option whose own parser refused its value has none to give here.
        command.Validators.Add(result =>
        {
            var comparing = result.GetResult(compare) is { Implicit: false };
            if (comparing && result.GetResult(server) is { Implicit: false })
            {
                result.AddError("--compare starts its own suites; it cannot be combined with --server.");
            }
            if (!comparing && result.GetResult(concurrency) is { Implicit: false, Tokens: [{ Value: var levels }] } && levels.Contains(','))
            {
                result.AddError("--concurrency takes one value unless --compare is given.");
            }
        });
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            var beir = BeirDataset.Load(parse.GetValue(dataset)!);
            if (parse.GetValue(compare) is { Length: > 0 } modes)
            {
                var levels = parse.GetResult(concurrency) is { Implicit: false } ? parse.GetValue(concurrency)! : [1, 4];
                var compared = new SideBySideBenchmark.Settings(levels, parse.GetValue(rounds), parse.GetValue(topK), parse.GetValue(rerank)!, parse.GetValue(block));
                return await CompareAsync(beir, modes, compared, EmbeddedSuite.From(parse, data, models), parse.GetValue(collection), parse.GetValue(json), cancellationToken);
            }
            var settings = new QueryBenchmark.Settings(parse.GetValue(concurrency)![0], parse.GetValue(rounds), parse.GetValue(topK), parse.GetValue(rerank)!);
            await using var connection = await GatewayConnection.OpenAsync(parse.GetValue(server), EmbeddedSuite.From(parse, data, models), cancellationToken);
            var name = parse.GetValue(collection) ?? beir.CollectionFor((await connection.Client.ModelsAsync(cancellationToken)).DenseModel);

            BenchReport report = null!;
            await AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var ingest = context.AddTask($"Ingesting {beir.Name}", maxValue: Ingester.CountDocuments([beir.CorpusPath]));
                    await new EvalRunner(connection.Client).IngestAsync(beir, name, n => ingest.Increment(n), cancellationToken);
                    var queries = context.AddTask($"Asking ({settings.Concurrency} at a time)", maxValue: beir.Queries.Count * settings.Rounds);
                    report = await new QueryBenchmark(connection.Client).RunAsync(beir, name, connection.Description, settings,
                        n => queries.Increment(n), cancellationToken);
                });

            Print(report);
            if (parse.GetValue(json) is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, GatewayClient.Json), cancellationToken);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The modes <c>--compare</c> knows, in the order they are reported (the first is the baseline).</summary>
    internal static readonly string[] Modes = ["embedded", "distributed"];

    private static int[] ParseList(System.CommandLine.Parsing.ArgumentResult result)
    {
        var values = new List<int>();
        foreach (var part in result.Tokens.Single().Value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"--concurrency: '{part}' is not a whole number (give one, or a list such as 1,4).");
                return [];
            }
            if (value < 1)
            {
                result.AddError("--concurrency must be at least 1.");
                return [];
            }
            values.Add(value);
        }
        return [.. values];
    }

    private static string[]? ParseModes(System.CommandLine.Parsing.ArgumentResult result)
    {
        var modes = result.Tokens.Single().Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(m => m.ToLowerInvariant()).ToList();
        if (modes.FirstOrDefault(m => !Modes.Contains(m)) is { } unknown)
        {
            result.AddError($"--compare: '{unknown}' is not a mode; give {string.Join(" and ", Modes)} separated by a comma.");
            return null;
        }
        if (modes.Count < 2 || modes.Distinct().Count() != modes.Count)
        {
            result.AddError($"--compare needs two different modes, such as {string.Join(",", Modes)}.");
            return null;
        }
        return [.. modes];
    }

    private static async Task<int> CompareAsync(BeirDataset beir, string[] modes, SideBySideBenchmark.Settings settings, EmbeddedSuite suite,
        string? collection, string? json, CancellationToken cancellationToken)
    {
        var connections = new List<(string Mode, GatewayConnection Connection)>();
        try
        {
            foreach (var mode in modes)
            {
                var own = suite with { Data = Path.Combine(suite.Data, mode) };
                connections.Add((mode, mode == "distributed"
                    ? await GatewayConnection.OpenDistributedAsync(own, cancellationToken)
                    : await GatewayConnection.OpenAsync(null, own, cancellationToken)));
            }
            var suites = new List<SideBySideBenchmark.Suite>();
            CompareReport report = null!;
            await AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    foreach (var (mode, connection) in connections)
                    {
                        var name = collection ?? beir.CollectionFor((await connection.Client.ModelsAsync(cancellationToken)).DenseModel);
                        var ingest = context.AddTask($"Ingesting {beir.Name} ({mode})", maxValue: Ingester.CountDocuments([beir.CorpusPath]));
                        await new EvalRunner(connection.Client).IngestAsync(beir, name, n => ingest.Increment(n), cancellationToken);
                        suites.Add(new SideBySideBenchmark.Suite(mode, connection.Client, name, connection.Description, mode == "distributed"));
                    }
                    var total = beir.Queries.Count * settings.Rounds * settings.Concurrency.Count * suites.Count;
                    var asking = context.AddTask($"Asking {string.Join(" and ", modes)} in turn at concurrency {string.Join(", ", settings.Concurrency)}", maxValue: total);
                    report = await SideBySideBenchmark.RunAsync(beir, suites, settings, n => asking.Increment(n), cancellationToken);
                });
            Print(report);
            if (json is not null)
            {
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, GatewayClient.Json), cancellationToken);
            }
            return 0;
        }
        finally
        {
            foreach (var (_, connection) in connections) await connection.DisposeAsync();
        }
    }

    private static void Print(CompareReport report)
    {
        var runs = new Table().AddColumns("mode", "clients", "p50 / p95 / p99 ms", "queries/s", "stage p50 ms: embed / retrieve / rerank / generate");
        runs.Title = new TableTitle($"{report.Dataset}: side by side, blocks of {report.BlockQueries} queries in turn (top_k {report.TopK}, rerank {report.Rerank})");
        foreach (var r in report.Runs.OrderBy(r => r.Concurrency))
        {
            runs.AddRow(r.Mode, $"{r.Concurrency}", $"{r.LatencyP50Ms:0.00} / {r.LatencyP95Ms:0.00} / {r.LatencyP99Ms:0.00}", $"{r.QueriesPerSecond:0.0}",
                $"{r.EmbedP50Ms:0.00} / {r.RetrieveP50Ms:0.00} / {r.RerankP50Ms:0.00} / {r.GenerateP50Ms:0.00}");
        }
        AnsiConsole.Write(runs);
        if (report.Hops.Count > 0)
        {
            var hops = new Table().AddColumns("mode", "clients", "stage", "calls", "gateway stage p50", "service's own p50", "[bold]hop[/]", "in-process stage p50");
            hops.Title = new TableTitle("Per gRPC hop: the gateway's stage time minus the service's own (ms)");
            foreach (var h in report.Hops)
            {
                hops.AddRow(h.Mode, $"{h.Concurrency}", h.Stage, $"{h.Calls}", $"{h.StageP50Ms:0.00}", $"{h.ServiceP50Ms:0.00}", $"[bold]{h.HopP50Ms:0.00}[/]",
                    h.InProcessStageP50Ms is { } p ? $"{p:0.00}" : "");
            }
            AnsiConsole.Write(hops);
        }
        foreach (var d in report.Differences)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{d.Mode} − {d.Baseline}[/] at {d.Concurrency} client(s): p50 {d.P50DifferenceMs:+0.00;-0.00} ms, p95 {d.P95DifferenceMs:+0.00;-0.00} ms, throughput ×{d.ThroughputRatio:0.00}");
        }
        foreach (var r in report.Runs.DistinctBy(r => r.Mode))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{r.Mode}: {r.Target}, collection {r.Collection}, answers {r.AnswerMode}, rerank {r.Rerank}[/]");
        }
    }

    private static void Print(BenchReport report)
    {
        var table = new Table().AddColumns("measure", "value");
        table.Title = new TableTitle($"{report.Dataset} ({report.Queries} answers)");
        table.AddRow("latency p50 / p95 / p99", $"{report.LatencyP50Ms:0.00} / {report.LatencyP95Ms:0.00} / {report.LatencyP99Ms:0.00} ms");
        table.AddRow("throughput", $"{report.QueriesPerSecond:0.0} queries/s at concurrency {report.Concurrency}");
        table.AddRow("stage p50 (server)", $"embed {report.EmbedP50Ms:0.00}, retrieve {report.RetrieveP50Ms:0.00}, rerank {report.RerankP50Ms:0.00}, generate {report.GenerateP50Ms:0.00} ms");
        table.AddRow("answers", $"{report.Mode}, rerank {report.Rerank}, top_k {report.TopK}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"[grey]{report.Target}, collection {report.Collection}[/]");
    }
}
