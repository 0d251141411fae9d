using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Contracts.V1;
using RagSuite.Core.Text;
using RagSuite.ServiceDefaults;
using RagSuite.Testing;

namespace RagSuite.Core.Tests.Remote;

/// <summary>What a <see cref="Replica"/> does with each call.</summary>
internal enum ReplicaBehavior
{
    Answer,
    /// <summary>Fails with UNAVAILABLE, as a replica shutting down does.</summary>
    Unavailable,
    /// <summary>Fails with INTERNAL: a broken replica.</summary>
    Broken,
    /// <summary>Holds every call until its deadline or cancellation: a replica that is up but stuck.</summary>
    Stall,
}

/// <summary>
/// One replica of a service on a loopback port, serving the embedder, retriever and reranker contracts with scripted
/// behaviour, counting the calls it gets and the deadline each carried.
/// </summary>
internal sealed class Replica : IAsyncDisposable
{
    private readonly string[] _settings;
    private RunningHost _host = null!;
    private int _calls;

    private Replica(int port, string[] settings)
    {
        Port = port;
        _settings = settings;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public ReplicaBehavior Behavior { get; set; }

    /// <summary>The mode the replica says it reranked with, whatever was asked.</summary>
    public RerankMode RerankMode { get; set; } = RerankMode.Lexical;

    /// <summary>Whether the replica embeds with a dense model; without one it answers as an embedder that has none.</summary>
    public bool Dense { get; set; } = true;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Time left until the deadline of the last call, as the replica saw it on arrival (null: none).</summary>
    public TimeSpan? LastDeadline { get; private set; }

    /// <summary>The host's HTTP/1.1 endpoint (health, metrics), plain HTTP whatever the gRPC port serves.</summary>
    public RunningHost Host => _host;

    /// <summary>A replica on <paramref name="port"/> (a free one when 0), started with any further host <paramref name="settings"/>.</summary>
    public static async Task<Replica> StartAsync(int port = 0, ReplicaBehavior behavior = ReplicaBehavior.Answer, params string[] settings)
    {
        var replica = new Replica(port == 0 ? FreePorts.Next() : port, settings) { Behavior = behavior };
        await replica.StartAgainAsync();
        return replica;
    }

    /// <summary>Starts the replica again on its port, after <see cref="StopAsync"/>: a restarted pod.</summary>
    public async Task StartAgainAsync() =>
        // The port given last wins over the free one RunningHost chose.
        _host = await RunningHost.StartAsync(Build, [.. _settings, $"RagSuite:Hosting:GrpcPort={Port}"]);

    public Task StopAsync() => _host.DisposeAsync().AsTask();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("test-replica");
        builder.AddGrpcServiceDefaults();
        builder.Services.AddSingleton(this);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcServiceDefaults();
        app.MapGrpcService<Reranking>();
        app.MapGrpcService<Embedding>();
        app.MapGrpcService<Retrieval>();
        return app;
    }

    private async Task ServeAsync(ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        LastDeadline = context.Deadline == DateTime.MaxValue ? null : context.Deadline - DateTime.UtcNow;
        switch (Behavior)
        {
            case ReplicaBehavior.Unavailable: throw new RpcException(new Status(StatusCode.Unavailable, "shutting down"));
            case ReplicaBehavior.Broken: throw new RpcException(new Status(StatusCode.Internal, "broken"));
            case ReplicaBehavior.Stall: await Task.Delay(Timeout.Infinite, context.CancellationToken); break;
        }
    }

    private sealed class Reranking(Replica replica) : Contracts.V1.Reranker.RerankerBase
    {
        public override async Task<RerankResponse> Rerank(RerankRequest request, ServerCallContext context)
        {
            await replica.ServeAsync(context);
            return new RerankResponse { Mode = replica.RerankMode, Model = $"replica-{replica.Port}", Note = $"replica {replica.Port} ran {replica.RerankMode}" };
        }
    }

    private sealed class Embedding(Replica replica) : Contracts.V1.Embedder.EmbedderBase
    {
        public override async Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context)
        {
            await replica.ServeAsync(context);
            return replica.Dense
                ? new EmbedResponse { DenseModel = $"replica-{replica.Port}", Embeddings = { request.Texts.Select(_ => new Contracts.V1.Embedding { Dense = { 1f, 0f } }) } }
                : LexicalSparseEncoder.Embed(request.Texts, $"replica {replica.Port} has no dense model");
        }
    }

    private sealed class Retrieval(Replica replica) : Contracts.V1.Retriever.RetrieverBase
    {
        public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
        {
            await replica.ServeAsync(context);
            return new SearchResponse();
        }

        public override async Task<Collection> CreateCollection(CreateCollectionRequest request, ServerCallContext context)
        {
            await replica.ServeAsync(context);
            return new Collection { Name = request.Name };
        }
    }
}
