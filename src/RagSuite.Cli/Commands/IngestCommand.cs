using System.CommandLine;
using RagSuite.Gateway.Api;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary><c>ragsuite ingest PATH --collection C</c>: files or a directory tree into a collection, with a progress bar.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A file or a directory (.txt, .md, .html, .jsonl)" };
        var collection = CommonOptions.Collection(required: true);
        var data = CommonOptions.Data();
        var models = CommonOptions.Models();
        var server = CommonOptions.Server();
        var command = new Command("ingest", "Chunk, embed and store documents; unchanged ones are skipped") { path, collection, data, models, server };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            var root = parse.GetValue(path)!;
            var name = parse.GetValue(collection)!;
            var (files, skipped) = Ingester.Plan(root);
            if (files.Count == 0)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]Nothing to ingest in {root}[/] (supported: .txt .md .html .jsonl)");
                return 1;
            }
            await using var connection = await GatewayConnection.OpenAsync(parse.GetValue(server), EmbeddedSuite.From(parse, data, models), cancellationToken);
            await EnsureCollectionAsync(connection.Client, name, cancellationToken);

            var documents = Ingester.CountDocuments(files);
            Ingester.Totals totals = null!;
            await AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Ingesting into {name}", maxValue: documents);
                    totals = await new Ingester(connection.Client).IngestAsync(name, root, files, n => task.Increment(n), cancellationToken);
                });
            AnsiConsole.MarkupLineInterpolated(
                $"{totals.Documents} documents: [green]{totals.Created} created[/], {totals.Updated} updated, {totals.Unchanged} unchanged; {totals.Chunks} chunks written ({connection.Description}).");
            if (totals.Empty > 0) AnsiConsole.MarkupLineInterpolated($"[yellow]{totals.Empty} documents skipped[/] (no text and no title).");
            if (skipped > 0) AnsiConsole.MarkupLineInterpolated($"[yellow]{skipped} files skipped[/] (unsupported type).");
            return 0;
        }));
        return command;
    }

    /// <summary>Creates the collection with default settings when it does not exist yet.</summary>
    public static async Task EnsureCollectionAsync(GatewayClient client, string name, CancellationToken cancellationToken)
    {
        if (await client.FindCollectionAsync(name, cancellationToken) is null)
        {
            await client.CreateCollectionAsync(new CreateCollectionBody(name, null, null), cancellationToken);
        }
    }
}
