using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Retrieval.Stores;
using RagSuite.Retrieval.Stores.Pgvector;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>The contract suite on the pgvector store, against PGlite with pgvector (skipped, saying why, where it cannot run).</summary>
public sealed class PgvectorStoreContractTests(PgliteServer server) : VectorStoreContractTests, IClassFixture<PgliteServer>
{
    protected override string? Unavailable => server.Unavailable;

    protected override Task<IVectorStore> OpenAsync() => Task.FromResult<IVectorStore>(Open(server));

    /// <summary>A new store and connection over the same database: what a retriever restart sees.</summary>
    protected override async Task<IVectorStore> ReopenAsync(IVectorStore store)
    {
        await ((PgvectorVectorStore)store).DisposeAsync();
        return Open(server);
    }

    protected override async Task CloseAsync(IVectorStore store) => await ((PgvectorVectorStore)store).DisposeAsync();

    internal static PgvectorVectorStore Open(PgliteServer server) =>
        new(Options.Create(new PgvectorOptions { ConnectionString = server.ConnectionString }), NullLogger<PgvectorVectorStore>.Instance);
}
