using Microsoft.AspNetCore.Builder;

namespace RagSuite.Testing;

/// <summary>
/// A RagSuite host started on free loopback ports: its HTTP/1.1 address (REST, health, metrics) and,
/// for service hosts, its HTTP/2 gRPC address. Stops and disposes the host on dispose.
/// </summary>
public sealed class RunningHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningHost(WebApplication app, Uri http, Uri grpc)
    {
        _app = app;
        HttpAddress = http;
        GrpcAddress = grpc;
    }

    public Uri HttpAddress { get; }

    public Uri GrpcAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds the host with <paramref name="build"/> (given its command-line arguments) and starts it.</summary>
    public static async Task<RunningHost> StartAsync(Func<string[], WebApplication> build, params string[] settings)
    {
        // A port free when chosen can be taken by another test process before Kestrel binds it: choose again, twice.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(build, settings);
            }
            catch (IOException e) when (attempt < 3 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static async Task<RunningHost> StartOnFreePortsAsync(Func<string[], WebApplication> build, string[] settings)
    {
        var httpPort = FreePorts.Next();
        var grpcPort = FreePorts.Next();
        string[] args =
        [
            "--RagSuite:Hosting:BindAddress=127.0.0.1",
            $"--RagSuite:Hosting:HttpPort={httpPort}",
            $"--RagSuite:Hosting:GrpcPort={grpcPort}",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(s => s.StartsWith("--", StringComparison.Ordinal) ? s : "--" + s),
        ];
        var app = build(args);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new RunningHost(app, new Uri($"http://127.0.0.1:{httpPort}/"), new Uri($"http://127.0.0.1:{grpcPort}/"));
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = HttpAddress, Timeout = TimeSpan.FromMinutes(2) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
