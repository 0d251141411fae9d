using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using RagSuite.Gateway;

namespace RagSuite.Cli;

/// <summary>
/// A gateway to talk to: the one at <c>--server</c>, or one started in this process on a free loopback
/// port over the local data directory (embedded mode, or distributed mode with the four service hosts started
/// in this process too, each on its own loopback ports). Either way the commands use the same REST API.
/// </summary>
public sealed class GatewayConnection : IAsyncDisposable
{
    // Started here: the gateway first, then any service hosts it calls (stopped in that order).
    private readonly IReadOnlyList<WebApplication> _hosts;
    private readonly HttpClient _http;

    private GatewayConnection(HttpClient http, IReadOnlyList<WebApplication> hosts, string description)
    {
        _http = http;
        _hosts = hosts;
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
            return new GatewayConnection(NewHttpClient(server), [], $"gateway at {server}");
        }
        var data = Path.GetFullPath(suite.Data);
        string[] args = [.. CommonArgs(suite), $"--{HostingSection}:HttpPort=0", .. suite.Settings];
        await ModelPuller.EnsureAsync(suite.Models, ModelPuller.ConfiguredModel(args), cancellationToken);
        var app = GatewayHost.Build([$"--{RagSuite.Retrieval.RetrieverOptions.Section}:DataDirectory={data}", .. args]);
        await app.StartAsync(cancellationToken);
        return new GatewayConnection(NewHttpClient(new Uri(app.Urls.First())), [app], $"embedded suite (data in {data})");
    }

    /// <summary>
    /// Distributed mode on loopback: the embedder, retriever (data in <paramref name="suite"/>'s data directory), reranker
    /// and generator hosts started in this process, each on its own free HTTP and gRPC ports, and a gateway that calls all
    /// four over gRPC (<c>RagSuite:Services:{Role}:Address</c>). The suite's settings go to every host.
    /// </summary>
    public static async Task<GatewayConnection> OpenDistributedAsync(EmbeddedSuite suite, CancellationToken cancellationToken)
    {
        var data = Path.GetFullPath(suite.Data);
        var common = CommonArgs(suite);
        await ModelPuller.EnsureAsync(suite.Models, ModelPuller.ConfiguredModel([.. common, .. suite.Settings]), cancellationToken);
        var services = new List<WebApplication>();
        try
        {
            async Task<Uri> Start(Func<string[], WebApplication> build, params string[] extra)
            {
                var (http, grpc) = (FreePort(), FreePort());
                var app = build([.. common, $"--{HostingSection}:HttpPort={http}", $"--{HostingSection}:GrpcPort={grpc}", .. extra, .. suite.Settings]);
                services.Add(app);
                await app.StartAsync(cancellationToken);
                return new Uri($"http://127.0.0.1:{grpc}");
            }
            var embedder = await Start(RagSuite.Embedder.EmbedderHost.Build);
            var retriever = await Start(RagSuite.Retriever.RetrieverHost.Build, $"--{RagSuite.Retrieval.RetrieverOptions.Section}:DataDirectory={data}");
            var reranker = await Start(RagSuite.Reranker.RerankerHost.Build);
            // As deployed, the generator checks groundedness with the embedder service, as the embedded suite's does in-process.
            var generator = await Start(RagSuite.Generator.GeneratorHost.Build, $"--RagSuite:Services:Embedder:Address={embedder}");
            var gateway = GatewayHost.Build(
            [
                .. common, $"--{HostingSection}:HttpPort=0",
                $"--RagSuite:Services:Embedder:Address={embedder}", $"--RagSuite:Services:Retriever:Address={retriever}",
                $"--RagSuite:Services:Reranker:Address={reranker}", $"--RagSuite:Services:Generator:Address={generator}",
                .. suite.Settings,
            ]);
            services.Insert(0, gateway);
            await gateway.StartAsync(cancellationToken);
            return new GatewayConnection(NewHttpClient(new Uri(gateway.Urls.First())), services,
                $"distributed suite on loopback (gRPC {embedder}, {retriever}, {reranker}, {generator}; data in {data})");
        }
        catch
        {
            foreach (var app in services) await app.DisposeAsync();
            throw;
        }
    }

    private const string HostingSection = ServiceDefaults.HostingOptions.Section;

    private static string[] CommonArgs(EmbeddedSuite suite) =>
    [
        $"--{Inference.Models.ModelsOptions.Section}:Directory={Path.GetFullPath(suite.Models)}",
        $"--{HostingSection}:BindAddress=127.0.0.1",
        "--Logging:LogLevel:Default=Warning",
    ];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static HttpClient NewHttpClient(Uri server) =>
        new() { BaseAddress = new Uri(server.ToString().TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        foreach (var app in _hosts)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
