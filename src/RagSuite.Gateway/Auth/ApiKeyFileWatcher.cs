using Microsoft.Extensions.Options;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// Reads the key file again every <see cref="ApiKeyOptions.ReloadSeconds"/>. Polling, not a file system watcher: a
/// Kubernetes Secret is updated by swapping a symlink, which inotify on the file does not see, and a poll of a small file
/// costs nothing.
/// </summary>
public sealed class ApiKeyFileWatcher(ApiKeyStore store, IOptions<ApiKeyOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReloadSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) store.Refresh();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
