using System.CommandLine;
using System.Text.Json;
using RagSuite.Cli.Evaluation;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite bench --dataset DIR</c>: ingest a BEIR dataset's corpus, then ask its queries as real
/// questions from <c>--concurrency</c> clients and report latency percentiles, throughput and the
/// median time of each pipeline stage.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "BEIR directory whose queries are asked", Required = true };
        var collection = CommonOptions.Collection(required: false);
        var concurrency = new Option<int>("--concurrency") { Description = "Clients asking at once", DefaultValueFactory = _ => 1 };
        var rounds = new Option<int>("--rounds") { Description = "Times each query is asked", DefaultValueFactory = _ => 1 };
        var topK = new Option<int>("--top-k", "-k") { Description = "Chunks each answer is written from", DefaultValueFactory = _ => 5 };
        var rerank = new Option<string>("--rerank") { Description = "auto, lexical, cross-encoder or none", DefaultValueFactory = _ => "auto" };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file" };
        var data = CommonOptions.Data();
        var models = CommonOptions.Models();
        var server = CommonOptions.Server();
        foreach (var positive in new[] { concurrency, rounds, topK })
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
            dataset, collection, concurrency, rounds, topK, rerank, json, data, models, server,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            var beir = BeirDataset.Load(parse.GetValue(dataset)!);
            var settings = new QueryBenchmark.Settings(parse.GetValue(concurrency), parse.GetValue(rounds), parse.GetValue(topK), parse.GetValue(rerank)!);
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
