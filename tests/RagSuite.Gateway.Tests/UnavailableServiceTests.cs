using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Retriever;
using RagSuite.Testing;
using RetrieverClient = RagSuite.Contracts.V1.Retriever.RetrieverClient;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// In distributed mode a service that is down is a 503 naming it wherever nothing can stand in for it (writing needs
/// the embedder), while the gateway stays ready (queries degrade instead: see <see cref="DegradationTests"/>).
/// </summary>
public sealed class UnavailableServiceTests
{
    [Fact]
    public async Task Writing_without_the_embedder_is_503_naming_it_and_the_gateway_stays_ready()
    {
        using var data = new TemporaryDirectory();
        await using var retriever = await RunningHost.StartAsync(RetrieverHost.Build, $"RagSuite:Retriever:DataDirectory={data.Path}");
        var nothingListens = $"http://127.0.0.1:{FreePorts.Next()}";
        await using var gateway = await RunningHost.StartAsync(GatewayHost.Build,
            $"RagSuite:Services:Embedder:Address={nothingListens}",
            $"RagSuite:Services:Embedder:MaxAttempts=2",
            $"RagSuite:Services:Retriever:Address={retriever.GrpcAddress}");
        using var client = gateway.CreateHttpClient();
        using var channel = GrpcChannel.ForAddress(retriever.GrpcAddress);
        await new RetrieverClient(channel).CreateCollectionAsync(new CreateCollectionRequest { Name = "docs" });

        foreach (var (path, body) in new (string, object)[]
        {
            ("/v1/collections", new { name = "more" }),
            ("/v1/collections/docs/documents", new { documents = new[] { new { id = "a", text = "text" } } }),
        })
        {
            var (status, problem) = await client.PostAsync(path, body);
            Assert.Equal(503, status);
            Assert.Equal("unavailable", problem!["code"]!.GetValue<string>());
            Assert.Equal("The embedder is unavailable.", problem["detail"]!.GetValue<string>());
        }
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(200, (int)ready.StatusCode);
        Assert.Contains("\"embedder\":{\"state\":\"unavailable\"", await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));
        var (listed, collections) = await client.SendJsonAsync(HttpMethod.Get, "/v1/collections");
        Assert.Equal(200, listed);
        Assert.Equal(["docs"], collections!["collections"].Strings("name"));
    }
}
