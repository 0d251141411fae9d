using System.CommandLine;
using System.Text.Json;
using RagSuite.Cli.Evaluation;
using RagSuite.Models.Store;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite bench embedder --dataset DIR</c>: serving efficiency and ingestion throughput of a dense model as
/// ratios of raw ONNX Runtime throughput measured in the same run (see <see cref="EmbedderBenchmark"/>).
/// </summary>
internal static class BenchEmbedderCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "BEIR directory: its corpus gives the texts and is ingested", Required = true };
        var model = new Option<string>("--model") { Description = "Model folder under --models", DefaultValueFactory = _ => ModelCatalog.UseLite };
        var texts = new Option<int>("--texts") { Description = "Texts of 20–60 words for the raw and served runs", DefaultValueFactory = _ => 512 };
        var callers = new Option<int>("--callers") { Description = "Concurrent gRPC callers, one text per call", DefaultValueFactory = _ => 64 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating raw and served passes (medians are compared)", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0: one per core)", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file" };
        var models = CommonOptions.Models();
        foreach (var positive in new[] { texts, callers, rounds })
        {
            positive.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() < 1) result.AddError($"{positive.Name} must be at least 1.");
            });
        }
        var command = new Command("embedder", "Measure a dense model's raw, served and ingestion throughput side by side")
        {
            dataset, model, texts, callers, rounds, threads, json, models,
        };
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            var beir = BeirDataset.Load(parse.GetValue(dataset)!);
            var modelsDirectory = Path.GetFullPath(parse.GetValue(models)!);
            var name = parse.GetValue(model)!;
            await ModelPuller.EnsureAsync(modelsDirectory, name, cancellationToken);
            var benchmark = new EmbedderBenchmark(modelsDirectory, name, parse.GetValue(threads));
            var settings = new EmbedderBenchmark.Settings(parse.GetValue(texts), parse.GetValue(callers), parse.GetValue(rounds));

            EmbedderReport report = null!;
            await AnsiConsole.Status().StartAsync("starting", async context =>
            {
                report = await benchmark.RunAsync(beir, settings, step => context.Status(Markup.Escape(step)), cancellationToken);
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

    private static void Print(EmbedderReport r)
    {
        var table = new Table().AddColumns("measure", "value");
        table.Title = new TableTitle($"{r.Model} ({r.Precision}) on {r.Dataset}: {r.Texts} texts, {r.MeanWords:0} words and {r.MeanTokens:0} tokens on average");
        table.AddRow("raw texts/s by batch size", string.Join(", ", r.Raw.Select(p => $"{p.BatchSize}: {p.TextsPerSecond:0}")));
        table.AddRow("raw, best batch size", $"{r.RawTextsPerSecond:0} texts/s at batch {r.BestBatchSize} (median of the passes alternating with served ones)");
        table.AddRow($"served, {r.Callers} callers", $"{r.ServedTextsPerSecond:0} texts/s (mean batch {r.MeanServedBatch:0.0}, " +
            $"model busy {r.ModelBusy:P0}, {r.RealTokenShare:P0} of batch tokens real)");
        table.AddRow("[bold]serving efficiency[/]", $"[bold]{r.ServingRatio:0.00}[/] (served ÷ raw)");
        table.AddRow("ingestion", $"{r.IngestChunksPerSecond:0} chunks/s ({r.IngestedChunks} chunks, {r.IngestModelInputs} model inputs)");
        table.AddRow("raw on the same inputs", $"{r.RawChunksPerSecond:0} chunks/s");
        table.AddRow("[bold]ingestion efficiency[/]", $"[bold]{r.IngestRatio:0.00}[/] (ingestion ÷ raw)");
        table.AddRow("peak memory (this process)", $"{r.PeakResidentMb:0} MiB");
        AnsiConsole.Write(table);
    }
}
