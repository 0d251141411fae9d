using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RagSuite.Core.Security;

namespace RagSuite.ServiceDefaults;

/// <summary>
/// Reads the service token as the service starts (so a missing or bad token file stops it, naming the setting) and says in
/// one line whether calls are authenticated: a service open to anyone on its network should never be so by surprise.
/// </summary>
internal sealed partial class ServiceTokenStartupLog(ServiceToken token, ILogger<ServiceTokenStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (token.Enabled) LogRequired(logger, token.Source!);
        else LogOpen(logger, ServiceTokenOptions.Section);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Service token: gRPC calls must carry the token from {Source}")]
    private static partial void LogRequired(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Service token: none configured ({Section}:File); gRPC calls to this service are not authenticated")]
    private static partial void LogOpen(ILogger logger, string section);
}
