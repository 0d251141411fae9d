using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Storage;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite bench store --data DIR</c>: opens a stopped server's data directory in this process, as a restart
/// would, and measures how long loading and the background log check take and how much managed memory each chunk
/// costs once loaded (a full collection before and after, so garbage is not counted), beyond its dense vector.
/// </summary>
internal static class BenchStoreCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var command = new Command("store", "Measure restart time and memory per chunk of a data directory (server stopped)") { data };
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var started = Stopwatch.GetTimestamp();
            using var store = new EmbeddedVectorStore(Options.Create(new RetrieverOptions { DataDirectory = parse.GetValue(data)! }), NullLogger<EmbeddedVectorStore>.Instance);
            await store.Loading.WaitAsync(cancellationToken);
            var loaded = Stopwatch.GetElapsedTime(started);
            await store.Verification.WaitAsync(cancellationToken);
            var verified = Stopwatch.GetElapsedTime(started);
            var managed = GC.GetTotalMemory(forceFullCollection: true) - before;

            var collections = store.List();
            var points = collections.Sum(c => c.PointCount);
            var vectorBytes = collections.Sum(c => c.PointCount * c.Config.DenseDimension * 4L);
            var table = new Table().AddColumns("measure", "value");
            table.AddRow("collections / documents / chunks", $"{collections.Count} / {collections.Sum(c => c.DocumentCount):N0} / {points:N0}");
            table.AddRow("ready (index loaded)", $"{loaded.TotalMilliseconds:N0} ms");
            table.AddRow("log check done (in the background)", $"{verified.TotalMilliseconds:N0} ms");
            table.AddRow("managed memory", $"{managed / 1048576.0:N1} MiB, of which dense vectors {vectorBytes / 1048576.0:N1} MiB");
            table.AddRow("per chunk beyond its vector", points == 0 ? "-" : $"{(managed - vectorBytes) / (double)points:N0} bytes (texts stay on disk)");
            table.AddRow("process working set", $"{Process.GetCurrentProcess().WorkingSet64 / 1048576.0:N0} MiB");
            if (store.Damaged.Count > 0) table.AddRow("damaged", string.Join("; ", store.Damaged.Keys));
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
