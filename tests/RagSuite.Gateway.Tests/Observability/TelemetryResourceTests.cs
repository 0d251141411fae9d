using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace RagSuite.Gateway.Tests.Observability;

/// <summary>The resource every span and metric carries: the host's own name unless the standard OTEL_* settings say otherwise.</summary>
public sealed class TelemetryResourceTests
{
    [Fact]
    public async Task Without_otel_settings_the_service_name_is_the_hosts_own()
    {
        var attributes = await ResourceOf();

        Assert.Equal("ragsuite-gateway", attributes["service.name"]);
        Assert.True(attributes.ContainsKey("service.instance.id"));
        Assert.Equal("opentelemetry", attributes["telemetry.sdk.name"]);
    }

    [Fact]
    public async Task OTEL_SERVICE_NAME_and_OTEL_RESOURCE_ATTRIBUTES_are_honoured()
    {
        var attributes = await ResourceOf("--OTEL_SERVICE_NAME=rag-edge", "--OTEL_RESOURCE_ATTRIBUTES=deployment.environment=staging,team=search");

        Assert.Equal("rag-edge", attributes["service.name"]);
        Assert.Equal("staging", attributes["deployment.environment"]);
        Assert.Equal("search", attributes["team"]);
    }

    private static async Task<Dictionary<string, object>> ResourceOf(params string[] settings)
    {
        await using var app = GatewayHost.Build(["--RagSuite:Hosting:BindAddress=127.0.0.1", .. settings]);
        var tracing = app.Services.GetRequiredService<TracerProvider>();
        return tracing.GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
    }
}
