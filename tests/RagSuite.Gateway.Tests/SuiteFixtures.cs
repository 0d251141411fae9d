using Microsoft.AspNetCore.Builder;
using RagSuite.Embedder;
using RagSuite.Gateway;
using RagSuite.Generator;
using RagSuite.Reranker;
using RagSuite.Retriever;
using RagSuite.Testing;
using RagSuite.Testing.OpenAi;

namespace RagSuite.Gateway.Tests;

/// <summary>A running suite the REST contract tests talk to, in one mode or the other.</summary>
public abstract class SuiteFixture : IAsyncLifetime
{
    /// <summary>Small limits, so the oversized-input cases stay small.</summary>
    public const int MaxRequestBytes = 2 * 1024 * 1024;
    public const int MaxDocumentChars = 200_000;
    public const int MaxChunksPerDocument = 100;

    protected static readonly string[] GatewayLimits =
    [
        // The REST contract does not depend on a model: these suites run sparse-only, the same everywhere.
        // DenseRetrievalTests runs the default model.
        "RagSuite:Embedder:Model=",
        $"RagSuite:Gateway:MaxRequestBytes={MaxRequestBytes}",
        $"RagSuite:Gateway:MaxDocumentChars={MaxDocumentChars}",
        "RagSuite:Gateway:MaxDocumentsPerRequest=50",
        $"RagSuite:Gateway:MaxChunksPerDocument={MaxChunksPerDocument}",
        // Tiny batches, so ingestion's batching across and within documents is exercised by every test.
        "RagSuite:Gateway:UpsertBatchPoints=1",
        "RagSuite:Gateway:EmbedBatchSize=3",
    ];

    protected TemporaryDirectory Data { get; } = new("ragsuite-suite");

    public RunningHost Gateway { get; protected set; } = null!;

    public HttpClient CreateClient() => Gateway.CreateHttpClient();

    /// <summary>A client that sends <paramref name="key"/> as its bearer API key (none when null).</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public abstract Task InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Data.Dispose();
    }
}

/// <summary>Embedded mode: the gateway hosts the four roles in its own process.</summary>
public sealed class EmbeddedSuite : SuiteFixture
{
    public override async Task InitializeAsync() =>
        Gateway = await RunningHost.StartAsync(GatewayHost.Build,
            [$"RagSuite:Retriever:DataDirectory={Data.Path}", .. GatewayLimits]);
}

/// <summary>Distributed mode: five hosts on loopback ports; the gateway calls the four services over gRPC.</summary>
public class DistributedSuite : SuiteFixture
{
    private readonly List<RunningHost> _services = [];

    public override async Task InitializeAsync()
    {
        var embedder = await Start(EmbedderHost.Build, "RagSuite:Embedder:Model=");
        var retriever = await Start(RetrieverHost.Build, $"RagSuite:Retriever:DataDirectory={Data.Path}");
        var reranker = await Start(RerankerHost.Build);
        var generator = await Start(GeneratorHost.Build);
        Gateway = await RunningHost.StartAsync(GatewayHost.Build,
        [
            $"RagSuite:Services:Embedder:Address={embedder.GrpcAddress}",
            $"RagSuite:Services:Retriever:Address={retriever.GrpcAddress}",
            $"RagSuite:Services:Reranker:Address={reranker.GrpcAddress}",
            $"RagSuite:Services:Generator:Address={generator.GrpcAddress}",
            .. GatewayLimits,
            .. GatewaySettings,
        ]);
    }

    protected virtual string[] GatewaySettings => [];

    public override async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var service in _services) await service.DisposeAsync();
        Data.Dispose();
    }

    private async Task<RunningHost> Start(Func<string[], WebApplication> build, params string[] settings)
    {
        var host = await RunningHost.StartAsync(build, settings);
        _services.Add(host);
        return host;
    }
}

/// <summary>
/// Distributed mode where every query calls all four services: the gateway's clients never answer for the sparse-only
/// embedder or the reranker without a cross-encoder from what those said before (<c>ConfigurationMemory</c> zero).
/// </summary>
public sealed class CallEveryServiceSuite : DistributedSuite
{
    protected override string[] GatewaySettings =>
        ["RagSuite:Services:Embedder:ConfigurationMemory=00:00:00", "RagSuite:Services:Reranker:ConfigurationMemory=00:00:00"];
}

/// <summary>
/// Embedded mode with one collection, <c>docs</c>, holding <see cref="TestDocuments.All"/>: what the OpenAI-compatible
/// API's tests ask as <c>rag:docs</c>.
/// </summary>
public class EmbeddedDocsSuite : SuiteFixture
{
    public const string Collection = "docs";
    public const string Model = "rag:docs";

    /// <summary>Where OpenAI SDKs are pointed: the API root, <c>…/v1</c>.</summary>
    public Uri OpenAiBaseAddress => new(Gateway.HttpAddress, "v1");

    /// <summary>The generation mode answers come in: extractive here, with no LLM upstream.</summary>
    public virtual string AnswerMode => "extractive";

    protected virtual string[] GeneratorSettings => [];

    public override async Task InitializeAsync()
    {
        Gateway = await RunningHost.StartAsync(GatewayHost.Build, [$"RagSuite:Retriever:DataDirectory={Data.Path}", .. GatewayLimits, .. GeneratorSettings]);
        using var client = CreateClient();
        await client.CreateCollectionAsync(Collection);
        await client.IngestAsync(Collection, TestDocuments.All);
    }
}

/// <summary>
/// <see cref="EmbeddedDocsSuite"/> with an LLM upstream behind the generator: an OpenAI-protocol test server that
/// answers from the prompt's sources, streaming a token at a time.
/// </summary>
public sealed class EmbeddedLlmDocsSuite : EmbeddedDocsSuite
{
    private TestUpstream _upstream = null!;

    public override string AnswerMode => "llm";

    protected override string[] GeneratorSettings =>
        ["RagSuite:Generator:Upstreams:0:Name=vllm", $"RagSuite:Generator:Upstreams:0:BaseUrl={_upstream.BaseUrl}", "RagSuite:Generator:Upstreams:0:Model=served"];

    public override async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync("served");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _upstream.DisposeAsync();
    }
}
