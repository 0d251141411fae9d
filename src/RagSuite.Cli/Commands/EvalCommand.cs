using System.CommandLine;
using System.Text.Json;
using RagSuite.Cli.Evaluation;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite eval --dataset DIR</c>: ingest a BEIR dataset and report nDCG@10, MRR@10, Recall@100,
/// MAP@100 and query latency for one retrieval mode (<c>--mode sparse|dense|hybrid</c>), fusion and reranking.
/// <c>--json FILE</c> also writes the report for scripts and CI.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "BEIR directory (corpus.jsonl, queries.jsonl, qrels/test.tsv)", Required = true };
        var collection = CommonOptions.Collection(required: false);
        var rerank = new Option<string>("--rerank") { Description = "Reranking for the runs: none, auto, bi-encoder, cross-encoder, lexical", DefaultValueFactory = _ => "none" };
        var mode = new Option<string?>("--mode") { Description = "Retrieval mode: hybrid (the default), dense or sparse" };
        mode.AcceptOnlyFromAmong("hybrid", "dense", "sparse");
        var fusion = new Option<string?>("--fusion") { Description = "Hybrid fusion: rrf or weighted (default: the retriever's)" };
        fusion.AcceptOnlyFromAmong("auto", "rrf", "weighted");
        var alpha = new Option<float?>("--alpha") { Description = "Dense share of hybrid fusion, 0 to 1 (default: the retriever's)" };
        var rrfK = new Option<int?>("--rrf-k") { Description = "k of reciprocal-rank fusion (default: the retriever's)" };
        var mmrLambda = new Option<float?>("--mmr-lambda") { Description = "MMR trade-off of bi-encoder reranking, 0 to 1" };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file" };
        var data = CommonOptions.Data();
        var models = CommonOptions.Models();
        var server = CommonOptions.Server();
        var store = CommonOptions.Store();
        var command = new Command("eval", "Measure retrieval quality on a BEIR dataset")
        {
            dataset, collection, rerank, mode, fusion, alpha, rrfK, mmrLambda, json, data, models, server, store,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            var beir = BeirDataset.Load(parse.GetValue(dataset)!);
            await using var connection = await GatewayConnection.OpenAsync(parse.GetValue(server), EmbeddedSuite.From(parse, data, models, store), cancellationToken);
            var name = parse.GetValue(collection) ?? beir.CollectionFor((await connection.Client.ModelsAsync(cancellationToken)).DenseModel);
            var runner = new EvalRunner(connection.Client);
            var settings = new EvalRunner.Settings(parse.GetValue(rerank)!, parse.GetValue(fusion), parse.GetValue(mode), parse.GetValue(alpha),
                parse.GetValue(rrfK), parse.GetValue(mmrLambda));

            EvalReport report = null!;
            await AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var ingest = context.AddTask($"Ingesting {beir.Name}", maxValue: Ingester.CountDocuments([beir.CorpusPath]));
                    await runner.IngestAsync(beir, name, n => ingest.Increment(n), cancellationToken);
                    var queries = context.AddTask($"Querying ({beir.Queries.Count} queries)", maxValue: beir.Queries.Count);
                    report = await runner.EvaluateAsync(beir, name, connection.Description, settings, n => queries.Increment(n), cancellationToken);
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

    private static void Print(EvalReport report)
    {
        var table = new Table().AddColumns("metric", "value");
        table.Title = new TableTitle($"{report.Dataset} ({report.Queries} queries)");
        table.AddRow("nDCG@10", $"{report.Ndcg10:0.0000}");
        table.AddRow("MRR@10", $"{report.Mrr10:0.0000}");
        table.AddRow("Recall@100", $"{report.Recall100:0.0000}");
        table.AddRow("MAP@100", $"{report.Map100:0.0000}");
        table.AddRow("latency p50", $"{report.LatencyP50Ms:0.00} ms");
        table.AddRow("latency p95", $"{report.LatencyP95Ms:0.00} ms");
        table.AddRow("mode / fusion / rerank", Markup.Escape($"{report.Mode} / {report.Fusion}{Parameters(report)} / {report.Rerank}"));
        table.AddRow("dense model", Markup.Escape(report.DenseModel ?? "none"));
        AnsiConsole.Write(table);
        foreach (var warning in report.Warnings ?? []) AnsiConsole.MarkupLineInterpolated($"[yellow]{warning}[/]");
        AnsiConsole.MarkupLineInterpolated($"[grey]{report.Target}, collection {report.Collection}[/]");
    }

    private static string Parameters(EvalReport report) =>
        report.Alpha is null ? "" : report.RrfK is { } k ? $" (alpha {report.Alpha:0.###}, k {k})" : $" (alpha {report.Alpha:0.###})";
}
