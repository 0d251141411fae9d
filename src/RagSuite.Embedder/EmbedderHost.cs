using Microsoft.AspNetCore.Builder;
using RagSuite.Embedding;
using RagSuite.ServiceDefaults;

namespace RagSuite.Embedder;

/// <summary>The embedder host: the in-process role behind its gRPC contract, with health, reflection and metrics.</summary>
public static class EmbedderHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("ragsuite-embedder");
        builder.AddGrpcServiceDefaults();
        builder.Services.AddInProcessEmbedder(builder.Configuration);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcServiceDefaults();
        app.MapGrpcService<EmbedderGrpcService>();
        return app;
    }
}
