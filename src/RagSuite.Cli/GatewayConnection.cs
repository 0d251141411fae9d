using Microsoft.AspNetCore.Builder;
using RagSuite.Gateway;

namespace RagSuite.Cli;

/// <summary>
/// A gateway to talk to: the one at <c>--server</c>, or one started in this process on a free loopback
/// port over the local data directory. Either way the commands use the same REST API.
/// </summary>
public sealed class GatewayConnection : IAsyncDisposable
{
    private readonly WebApplication? _embedded;
    private readonly HttpClient _http;

    private GatewayConnection(HttpClient http, WebApplication? embedded, string description)
    {
        _http = http;
        _embedded = embedded;
        Client = new GatewayClient(http);
        Description = description;
    }

    public GatewayClient Client { get; }

    /// <summary>Where the suite runs, for the user: the server URL or the embedded data directory.</summary>
    public string Description { get; }

    public static async Task<GatewayConnection> OpenAsync(Uri? server, string dataDirectory, CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            return new GatewayConnection(NewHttpClient(server), null, $"gateway at {server}");
        }
        var data = Path.GetFullPath(dataDirectory);
        var app = GatewayHost.Build(
        [
            $"--{RagSuite.Retrieval.RetrieverOptions.Section}:DataDirectory={data}",
            $"--{ServiceDefaults.HostingOptions.Section}:BindAddress=127.0.0.1",
            $"--{ServiceDefaults.HostingOptions.Section}:HttpPort=0",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync(cancellationToken);
        return new GatewayConnection(NewHttpClient(new Uri(app.Urls.First())), app, $"embedded suite (data in {data})");
    }

    private static HttpClient NewHttpClient(Uri server) =>
        new() { BaseAddress = new Uri(server.ToString().TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_embedded is not null)
        {
            await _embedded.StopAsync();
            await _embedded.DisposeAsync();
        }
    }
}
