using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Contracts.V1;
using RagSuite.Core.Security;
using RagSuite.Generator;
using RagSuite.Retriever;
using RagSuite.Testing;
using GeneratorClient = RagSuite.Contracts.V1.Generator.GeneratorClient;

namespace RagSuite.Gateway.Tests.Security;

/// <summary>
/// With a service token configured, a service answers only calls that carry it; health, readiness and metrics stay open,
/// and a gateway configured with the same token calls through.
/// </summary>
public sealed class ServiceTokenTests
{
    private const string Token = "test-service-token-0123456789abcdef";

    private static readonly GenerateRequest Question = new()
    {
        Question = "How tall is the tower?",
        Passages = { new SourcePassage { Id = "a", Text = "The tower is 330 metres tall." } },
    };

    private static async Task<StatusCode> GenerateAsync(RunningHost host, Metadata? headers)
    {
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        try
        {
            using var call = new GeneratorClient(channel).Generate(Question, headers);
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static Metadata Bearer(string token) => new() { { ServiceTokenHeaders.Authorization, ServiceTokenHeaders.BearerPrefix + token } };

    public static TheoryData<string, Metadata?, StatusCode> Calls => new()
    {
        { "no token", null, StatusCode.Unauthenticated },
        { "wrong token", Bearer("test-service-token-0123456789abcdeX"), StatusCode.Unauthenticated },
        { "a prefix of the token", Bearer(Token[..20]), StatusCode.Unauthenticated },
        { "token without the Bearer scheme", new Metadata { { ServiceTokenHeaders.Authorization, Token } }, StatusCode.Unauthenticated },
        { "bearer token", Bearer(Token), StatusCode.OK },
        { "x-ragsuite-service-token", new Metadata { { ServiceTokenHeaders.ServiceToken, Token } }, StatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_service_with_a_token_answers_only_calls_that_carry_it(string name, Metadata? headers, StatusCode expected)
    {
        await using var generator = await RunningHost.StartAsync(GeneratorHost.Build, $"RagSuite:ServiceToken:Value={Token}");

        Assert.True(expected == await GenerateAsync(generator, headers), name);
    }

    [Fact]
    public async Task Health_readiness_and_metrics_stay_open()
    {
        await using var generator = await RunningHost.StartAsync(GeneratorHost.Build, $"RagSuite:ServiceToken:Value={Token}");
        using var channel = GrpcChannel.ForAddress(generator.GrpcAddress);
        using var http = generator.CreateHttpClient();

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal("Healthy", await http.GetStringAsync("/healthz"));
        Assert.Equal("Healthy", await http.GetStringAsync("/readyz"));
        Assert.Contains("# TYPE", await http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Without_a_token_a_service_answers_every_call_as_before()
    {
        await using var generator = await RunningHost.StartAsync(GeneratorHost.Build);

        Assert.Equal(StatusCode.OK, await GenerateAsync(generator, null));
        Assert.False(generator.Services.GetRequiredService<ServiceToken>().Enabled);
    }

    [Fact]
    public async Task A_new_token_in_the_file_takes_effect_without_a_restart()
    {
        using var secrets = new TemporaryDirectory("ragsuite-token");
        var file = Path.Combine(secrets.Path, "token");
        await File.WriteAllTextAsync(file, Token + "\n");
        await using var generator = await RunningHost.StartAsync(GeneratorHost.Build,
            $"RagSuite:ServiceToken:File={file}", "RagSuite:ServiceToken:ReloadSeconds=0.1");
        Assert.Equal(StatusCode.OK, await GenerateAsync(generator, Bearer(Token)));

        const string rotated = "rotated-service-token-fedcba9876543210";
        await File.WriteAllTextAsync(file + ".tmp", rotated);
        File.Move(file + ".tmp", file, overwrite: true);
        var clock = Stopwatch.StartNew();
        while (await GenerateAsync(generator, Bearer(rotated)) != StatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);

        Assert.Equal(StatusCode.OK, await GenerateAsync(generator, Bearer(rotated)));
        Assert.Equal(StatusCode.Unauthenticated, await GenerateAsync(generator, Bearer(Token)));

        // A file that turns unusable keeps the token in force.
        await File.WriteAllTextAsync(file, "short");
        await Task.Delay(300);
        Assert.Equal(StatusCode.OK, await GenerateAsync(generator, Bearer(rotated)));
    }

    [Fact]
    public async Task A_gateway_with_the_token_calls_through_and_one_without_it_is_refused()
    {
        using var data = new TemporaryDirectory();
        await using var retriever = await RunningHost.StartAsync(RetrieverHost.Build,
            $"RagSuite:Retriever:DataDirectory={data.Path}", $"RagSuite:ServiceToken:Value={Token}");
        var remote = $"RagSuite:Services:Retriever:Address={retriever.GrpcAddress}";
        await using var trusted = await RunningHost.StartAsync(GatewayHost.Build, remote, "RagSuite:Embedder:Model=", $"RagSuite:ServiceToken:Value={Token}");
        await using var stranger = await RunningHost.StartAsync(GatewayHost.Build, remote, "RagSuite:Embedder:Model=");
        using var trustedClient = trusted.CreateHttpClient();
        using var strangerClient = stranger.CreateHttpClient();

        using var created = await trustedClient.PostAsync("/v1/collections", Json("""{"name": "through"}"""));
        using var refused = await strangerClient.GetAsync("/v1/collections/through");

        Assert.Equal(201, (int)created.StatusCode);
        // The caller is not asked for a key it cannot fix: the gateway's own deployment is at fault, and says which service refused.
        Assert.Equal(503, (int)refused.StatusCode);
        Assert.Contains("The retriever refused this gateway's calls", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_distributed_suite_sharing_the_token_answers_without_degrading()
    {
        using var data = new TemporaryDirectory();
        var token = $"RagSuite:ServiceToken:Value={Token}";
        await using var embedder = await RunningHost.StartAsync(RagSuite.Embedder.EmbedderHost.Build, "RagSuite:Embedder:Model=", token);
        await using var retriever = await RunningHost.StartAsync(RetrieverHost.Build, $"RagSuite:Retriever:DataDirectory={data.Path}", token);
        await using var reranker = await RunningHost.StartAsync(RagSuite.Reranker.RerankerHost.Build, token);
        await using var generator = await RunningHost.StartAsync(GeneratorHost.Build, token);
        await using var gateway = await RunningHost.StartAsync(GatewayHost.Build,
            $"RagSuite:Services:Embedder:Address={embedder.GrpcAddress}", $"RagSuite:Services:Retriever:Address={retriever.GrpcAddress}",
            $"RagSuite:Services:Reranker:Address={reranker.GrpcAddress}", $"RagSuite:Services:Generator:Address={generator.GrpcAddress}",
            "RagSuite:Embedder:Model=", token);
        using var client = gateway.CreateHttpClient();

        await client.CreateCollectionAsync("docs");
        await client.IngestAsync("docs", TestDocuments.All);
        var answer = await client.QueryAsync(new { question = "How tall is the Eiffel Tower?", collection = "docs", rerank = "lexical" });

        Assert.Null(answer["degraded"]);
        Assert.Contains("330", answer["answer"]!.GetValue<string>());
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
