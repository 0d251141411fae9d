using Microsoft.AspNetCore.Builder;
using RagSuite.Retrieval;
using RagSuite.ServiceDefaults;

namespace RagSuite.Retriever;

/// <summary>The retriever host: the in-process role behind its gRPC contract, with health, reflection and metrics.</summary>
public static class RetrieverHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("ragsuite-retriever");
        builder.AddGrpcServiceDefaults();
        builder.Services.AddInProcessRetriever(builder.Configuration);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcServiceDefaults();
        app.MapGrpcService<RetrieverGrpcService>();
        return app;
    }
}
