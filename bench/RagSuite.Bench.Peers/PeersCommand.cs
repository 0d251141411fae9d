using System.CommandLine;
using RagSuite.Bench.Peers.Commands;

namespace RagSuite.Bench.Peers;

/// <summary>The benchmark's commands: make data, then compare RagSuite with its peers on it.</summary>
public static class PeersCommand
{
    public static RootCommand Create() => new("RagSuite's retrieval store side by side with Lucene.Net, SQLite FTS5 and Chroma")
    {
        ReplicateCommand.Create(),
        LexicalCommand.Create(),
        EmbedTextsCommand.Create(),
        DenseCommand.Create(),
    };
}
