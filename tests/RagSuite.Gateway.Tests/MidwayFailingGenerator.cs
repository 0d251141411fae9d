using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.ServiceDefaults;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// A generator service that writes the first piece of an answer and then fails, as an upstream model that goes away
/// midway does: what a stream that has already started must report in its last event.
/// </summary>
internal sealed class MidwayFailingGenerator : Contracts.V1.Generator.GeneratorBase
{
    public const string FirstPiece = "The Eiffel Tower";
    public const string Failure = "The upstream model went away midway.";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("midway-failing-generator");
        builder.AddGrpcServiceDefaults();
        var app = builder.Build();
        app.MapGrpcServiceDefaults();
        app.MapGrpcService<MidwayFailingGenerator>();
        return app;
    }

    public override async Task Generate(GenerateRequest request, IServerStreamWriter<GenerateEvent> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new GenerateEvent { Delta = FirstPiece });
        throw RagSuiteException.Unavailable(Failure);
    }

    public override Task<GeneratorInfo> GetInfo(GetGeneratorInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new GeneratorInfo { Modes = { "extractive" }, DefaultMode = "extractive" });
}
