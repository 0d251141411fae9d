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

    /// <param name="server">A running gateway, or null to start the embedded suite.</param>
    /// <param name="suite">Where the embedded suite keeps data and models, and any <c>--Section:Key=value</c> settings for it.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<GatewayConnection> OpenAsync(Uri? server, EmbeddedSuite suite, CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            return new GatewayConnection(NewHttpClient(server), null, $"gateway at {server}");
        }
        var data = Path.GetFullPath(suite.Data);
        string[] args =
        [
            $"--{RagSuite.Retrieval.RetrieverOptions.Section}:DataDirectory={data}",
            $"--{Inference.Models.ModelsOptions.Section}:Directory={Path.GetFullPath(suite.Models)}",
            $"--{ServiceDefaults.HostingOptions.Section}:BindAddress=127.0.0.1",
            $"--{ServiceDefaults.HostingOptions.Section}:HttpPort=0",
            "--Logging:LogLevel:Default=Warning",
            .. suite.Settings,
        ];
        await ModelPuller.EnsureAsync(suite.Models, ModelPuller.ConfiguredModel(args), cancellationToken);
        var app = GatewayHost.Build(args);
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
