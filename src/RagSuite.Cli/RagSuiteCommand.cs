using System.CommandLine;
using RagSuite.Cli.Commands;

namespace RagSuite.Cli;

/// <summary>The <c>ragsuite</c> command line: serve, ingest, query, eval, bench, models, store, keys.</summary>
public static class RagSuiteCommand
{
    public static RootCommand Create() => new("RagSuite: grounded answers with citations over your documents.")
    {
        ServeCommand.Create(),
        IngestCommand.Create(),
        QueryCommand.Create(),
        EvalCommand.Create(),
        BenchCommand.Create(),
        ModelsCommand.Create(),
        StoreCommand.Create(),
        KeysCommand.Create(),
    };
}
