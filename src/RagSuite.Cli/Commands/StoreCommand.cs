using System.CommandLine;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Storage;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite store check|repair</c>: find damaged collections in a data directory, and recover every intact record
/// of one, with the server stopped. Repair keeps the original files under <c>{data}/damaged/</c>.
/// </summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var command = new Command("store", "Check the embedded store's files and repair damaged collections (with the server stopped)");
        command.Subcommands.Add(Check());
        command.Subcommands.Add(Repair());
        return command;
    }

    private static Command Check()
    {
        var data = CommonOptions.Data();
        var command = new Command("check", "Read every collection as a start-up would, change nothing, and report damage; exit code 1 if any") { data };
        command.SetAction(CliErrors.Handle((parse, cancellationToken) =>
        {
            var results = CollectionRepair.Check(parse.GetValue(data)!);
            var table = new Table().AddColumns("collection", "state");
            foreach (var result in results)
            {
                table.AddRow(Markup.Escape(result.Collection), result.Problem is null ? "[green]ok[/]" : $"[red]damaged:[/] {Markup.Escape(result.Problem)}");
            }
            AnsiConsole.Write(table);
            var damaged = results.Count(r => r.Problem is not null);
            if (damaged > 0) AnsiConsole.MarkupLineInterpolated($"{damaged} damaged; recover with: ragsuite store repair --data {parse.GetValue(data)} --collection NAME");
            return Task.FromResult(damaged > 0 ? 1 : 0);
        }));
        return command;
    }

    private static Command Repair()
    {
        var data = CommonOptions.Data();
        var collection = CommonOptions.Collection(required: true);
        var command = new Command("repair", "Move a collection's files aside untouched and rebuild it from every intact log record") { data, collection };
        command.SetAction(CliErrors.Handle((parse, cancellationToken) =>
        {
            var result = CollectionRepair.Repair(parse.GetValue(data)!, parse.GetValue(collection)!, new RetrieverOptions());
            AnsiConsole.MarkupLineInterpolated(
                $"Repaired {result.Collection}: {result.RecoveredRecords} intact log records recovered, {result.DocumentCount} documents now. The original files are in {result.MovedTo}.");
            foreach (var loss in result.Losses) AnsiConsole.MarkupLineInterpolated($"[yellow]lost:[/] {loss}");
            return Task.FromResult(0);
        }));
        return command;
    }
}
