using Microsoft.Extensions.Hosting;
using RagSuite.Retrieval.Storage;

namespace RagSuite.Retrieval;

/// <summary>Opens the store while the host starts, so a bad data directory stops start-up with its reason.</summary>
internal sealed class StoreOpener(EmbeddedVectorStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(store);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
