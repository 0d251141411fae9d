using Microsoft.AspNetCore.Builder;
using RagSuite.Generation;
using RagSuite.ServiceDefaults;

namespace RagSuite.Generator;

/// <summary>The generator host: the in-process role behind its gRPC contract, with health, reflection and metrics.</summary>
public static class GeneratorHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("ragsuite-generator");
        builder.AddGrpcServiceDefaults();
        builder.Services.AddInProcessGenerator(builder.Configuration);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcServiceDefaults();
        app.MapGrpcService<GeneratorGrpcService>();
        return app;
    }
}
