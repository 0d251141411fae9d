using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RagSuite.Core.Configuration;
using RagSuite.Gateway.Api;
using RagSuite.Gateway.Auth;
using RagSuite.Gateway.Pipeline;
using RagSuite.Gateway.Security;
using RagSuite.ServiceDefaults;

namespace RagSuite.Gateway;

/// <summary>The gateway host: REST API, OpenAPI document, problem details, and the four roles in-process or over gRPC.</summary>
public static class GatewayHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("ragsuite-gateway");
        builder.ListenOnConfiguredPorts(grpc: false, http: KestrelRejections.Use);

        builder.Services.AddValidatedOptions<GatewayOptions>(builder.Configuration, GatewayOptions.Section);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
            kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBytes);
        builder.Services.AddOptions<FormOptions>().Configure<IOptions<GatewayOptions>>((form, gateway) =>
            form.MultipartBodyLengthLimit = gateway.Value.MaxRequestBytes);
        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddSingleton<ProblemMapper>();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = OpenAiErrors.AddErrorMember);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddApiKeys(builder.Configuration);
        builder.Services.AddGatewayCors(builder.Configuration);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddRagSuiteRoles(builder.Configuration);
        builder.Services.AddSingleton<QueryPipeline>();
        builder.Services.AddSingleton<IngestionPipeline>();

        var app = builder.Build();
        // Outermost, so every response gets the headers, and the metrics see the status the exception handler gave.
        app.UseSecurityHeaders();
        app.UseApiKeyMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        // Before the key check: a preflight carries no key, and a 401 must carry CORS headers for a page to read it.
        app.UseGatewayCors();
        app.UseDotSegmentRefusal();
        app.UseApiKeys();
        app.MapDefaultEndpoints(ReadinessReport.WriteAsync);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapCollectionsApi();
        app.MapDocumentsApi();
        app.MapQueryApi();
        app.MapModelsApi();
        app.MapChatCompletionsApi();
        return app;
    }

    /// <summary>snake_case names, strict reading (unknown or repeated fields are errors), nulls left out.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
    }
}
