using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RagSuite.ServiceDefaults;

/// <summary>
/// Graceful shutdown, first half: on SIGTERM the host reports itself not ready (so no balancer sends it new work) and
/// keeps serving for <see cref="HostingOptions.DrainDelay"/> before the server stops accepting; the server then waits
/// up to <see cref="HostingOptions.ShutdownTimeout"/> for requests and streams in flight. Runs in
/// <see cref="IHostedLifecycleService.StoppingAsync"/>, which the host awaits before it stops any service, the server included.
/// </summary>
internal sealed partial class GracefulDrain(IOptions<HostingOptions> options, ILogger<GracefulDrain> logger) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var delay = options.Value.DrainDelay;
        LogDraining(logger, delay.TotalSeconds, options.Value.ShutdownTimeout.TotalSeconds);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("draining: shutting down") : HealthCheckResult.Healthy());

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: not ready now, serving {DelaySeconds} s more, then finishing calls in flight (at most {TimeoutSeconds} s)")]
    private static partial void LogDraining(ILogger logger, double delaySeconds, double timeoutSeconds);
}
