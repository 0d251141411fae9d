using System.CommandLine;
using RagSuite.Bench.Peers.Data;

namespace RagSuite.Bench.Peers.Commands;

/// <summary><c>replicate --from DIR [--from DIR] --to DIR --documents N</c>: a larger BEIR folder made of copies.</summary>
internal static class ReplicateCommand
{
    public static Command Create()
    {
        var from = new Option<string[]>("--from") { Description = "Source BEIR folder (repeat to mix several)", Required = true, AllowMultipleArgumentsPerToken = true };
        var to = new Option<string>("--to") { Description = "BEIR folder to write", Required = true };
        var documents = new Option<int>("--documents", "-n") { Description = "Documents in the new corpus", Required = true };
        var command = new Command("replicate", "Write a BEIR folder whose corpus repeats the sources under new ids ({id}-r{pass}) up to N documents, with their queries and qrels")
        {
            from, to, documents,
        };
        command.SetAction(CommandErrors.Handle(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(documents) < 1) throw new ArgumentException("--documents must be at least 1");
            var (written, sources) = await CorpusReplicator.ReplicateAsync(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(documents), cancellationToken);
            Console.WriteLine($"{written:N0} documents ({sources:N0} originals, {(double)written / sources:0.#} copies each) in {Path.GetFullPath(parse.GetValue(to)!)}");
            return 0;
        }));
        return command;
    }
}
