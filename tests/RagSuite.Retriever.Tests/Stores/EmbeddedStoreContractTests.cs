using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Storage;
using RagSuite.Retrieval.Stores;
using RagSuite.Testing;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>The contract suite on the embedded store, in a temporary data directory.</summary>
public sealed class EmbeddedStoreContractTests : VectorStoreContractTests
{
    private readonly TemporaryDirectory _data = new();

    protected override string? Unavailable => null;

    protected override async Task<IVectorStore> OpenAsync()
    {
        var store = new EmbeddedVectorStore(Options.Create(new RetrieverOptions { DataDirectory = _data.Path }), NullLogger<EmbeddedVectorStore>.Instance);
        await store.Verification;
        return store;
    }

    protected override async Task<IVectorStore> ReopenAsync(IVectorStore store)
    {
        ((EmbeddedVectorStore)store).Dispose();
        return await OpenAsync();
    }

    protected override Task CloseAsync(IVectorStore store)
    {
        ((EmbeddedVectorStore)store).Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }
}
