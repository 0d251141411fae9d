using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Retrieval.Stores;
using RagSuite.Retrieval.Stores.Qdrant;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>
/// The contract suite on a real Qdrant (<see cref="QdrantServer"/>), through the same registration the retriever uses;
/// every test skips, saying why, where there is none. A reopened store is a new process's view of the same server.
/// </summary>
public sealed class QdrantStoreContractTests : VectorStoreContractTests
{
    private ServiceProvider? _provider;

    protected override string? Unavailable => QdrantServer.Unavailable;

    protected override async Task<IVectorStore> OpenAsync()
    {
        var settings = new Dictionary<string, string?> { ["RagSuite:Qdrant:Url"] = await QdrantServer.UrlAsync() };
        if (QdrantServer.ApiKeyFile is { } keyFile) settings["RagSuite:Qdrant:ApiKeyFile"] = keyFile;
        var services = new ServiceCollection().AddLogging();
        services.AddQdrantVectorStore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        _provider = services.BuildServiceProvider();
        var store = _provider.GetRequiredService<IVectorStore>();
        await store.WaitUntilReadyAsync(CancellationToken.None);
        return store;
    }

    protected override async Task<IVectorStore> ReopenAsync(IVectorStore store)
    {
        await CloseAsync(store);
        return await OpenAsync();
    }

    protected override async Task CloseAsync(IVectorStore store)
    {
        if (_provider is not null) await _provider.DisposeAsync();
        _provider = null;
    }
}
