using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using RagSuite.Contracts.V1;
using RagSuite.ServiceDefaults;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// A reranker service that answers its info at once but every rerank only after <see cref="Delay"/>: a reranker that
/// is up yet late, past the deadline a gateway gives it.
/// </summary>
internal sealed class SlowReranker : Contracts.V1.Reranker.RerankerBase
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("slow-reranker");
        builder.AddGrpcServiceDefaults();
        var app = builder.Build();
        app.MapGrpcServiceDefaults();
        app.MapGrpcService<SlowReranker>();
        return app;
    }

    public override async Task<RerankResponse> Rerank(RerankRequest request, ServerCallContext context)
    {
        await Task.Delay(Delay, context.CancellationToken);
        return new RerankResponse { Mode = RerankMode.Lexical };
    }

    public override Task<RerankerInfo> GetInfo(GetRerankerInfoRequest request, ServerCallContext context) => Task.FromResult(new RerankerInfo());
}
