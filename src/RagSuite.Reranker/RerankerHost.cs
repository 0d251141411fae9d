using Microsoft.AspNetCore.Builder;
using RagSuite.Reranking;
using RagSuite.ServiceDefaults;

namespace RagSuite.Reranker;

/// <summary>The reranker host: the in-process role behind its gRPC contract, with health, reflection and metrics.</summary>
public static class RerankerHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("ragsuite-reranker");
        builder.AddGrpcServiceDefaults();
        builder.Services.AddInProcessReranker(builder.Configuration);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcServiceDefaults();
        app.MapGrpcService<RerankerGrpcService>();
        return app;
    }
}
