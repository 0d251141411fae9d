using Microsoft.AspNetCore.Builder;
using RagSuite.Core.Remote;
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
        // With an embedder to call, groundedness is judged by its dense model; without one, by content words.
        if (RemoteRoleRegistration.IsRemote(builder.Configuration, RoleNames.Embedder)) builder.Services.AddRemoteEmbedder(builder.Configuration);
        builder.Services.AddInProcessGenerator(builder.Configuration);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcServiceDefaults();
        app.MapGrpcService<GeneratorGrpcService>();
        return app;
    }
}
