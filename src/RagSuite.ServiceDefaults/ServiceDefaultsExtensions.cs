using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RagSuite.Core.Security;

namespace RagSuite.ServiceDefaults;

/// <summary>
/// What every RagSuite host shares: OpenTelemetry metrics and traces (Prometheus scrape endpoint,
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, configured by the other standard <c>OTEL_*</c>
/// variables), the console log format (<see cref="LogFormat"/>), liveness and readiness checks and problem details.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag make up <c>/healthz</c>; every check makes up <c>/readyz</c>.</summary>
    public const string LiveTag = "live";

    /// <param name="builder">The host being built.</param>
    /// <param name="serviceName">The name traces and metrics carry (<c>service.name</c>).</param>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        // Protocols, logs and metrics are culture-free; ICU is loaded only for Unicode normalisation.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        // Lowest-precedence defaults: appsettings, environment variables and the command line override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                // A call to a service that is not up yet (start-up, a rollout) is expected; the gRPC client would log each
                // failed call with its socket stack trace at Information. The caller reports the failure, in one line.
                ["Logging:LogLevel:Grpc.Net.Client"] = "Warning",
                // Polly logs every failed attempt it retries or hedges with the exception's stack trace; a replica dying
                // under load would flood the log. Its metrics (meter "Polly": resilience.polly.strategy.events) count them,
                // and a call that still fails is logged once by whoever handles it.
                ["Logging:LogLevel:Polly"] = "Error",
                // Each probe of a Degraded check would repeat the same warning every few seconds; the checks log their
                // own changes of state, and an Unhealthy result is still logged (as an error).
                ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Error",
            },
        });
        builder.UseConfiguredLogFormat();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.AddGracefulDrain();
        builder.AddOpenTelemetry(serviceName);
        return builder;
    }

    /// <summary>
    /// Listens on the <see cref="HostingOptions"/> ports: HTTP/1.1 on <c>HttpPort</c> and, for gRPC hosts, HTTP/2 on
    /// <c>GrpcPort</c>, over mutual TLS when <c>RagSuite:ServiceTls</c> is on (the HTTP port stays plain: the kubelet's
    /// probes and Prometheus' scrapes present no client certificate).
    /// </summary>
    /// <param name="http">Anything more the HTTP/1.1 endpoint needs, such as connection middleware.</param>
    public static WebApplicationBuilder ListenOnConfiguredPorts(this WebApplicationBuilder builder, bool grpc, Action<ListenOptions>? http = null)
    {
        var options = builder.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var reasons = results.Select(r => r.ErrorMessage ?? "").ToList();
        if (!IPAddress.TryParse(options.BindAddress, out var address)) reasons.Add($"BindAddress '{options.BindAddress}' is not an IP address");
        if (reasons.Count > 0)
        {
            throw new OptionsValidationException(HostingOptions.Section, typeof(HostingOptions),
                [$"{HostingOptions.Section} is invalid: {string.Join("; ", reasons)}"]);
        }
        if (grpc) builder.Services.AddServiceTls(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address!, options.HttpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                http?.Invoke(listen);
            });
            if (grpc)
            {
                kestrel.Listen(address!, options.GrpcPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    // Each handshake asks for the credentials current then, so renewed certificate files need no restart.
                    var tls = kestrel.ApplicationServices.GetRequiredService<ServiceTls>();
                    if (tls.Enabled) listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(tls.ServerOptions()) });
                });
            }
        });
        return builder;
    }

    private static void AddGracefulDrain(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostingOptions>().Bind(builder.Configuration.GetSection(HostingOptions.Section));
        builder.Services.AddSingleton<GracefulDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GracefulDrain>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("draining", sp => sp.GetRequiredService<GracefulDrain>(), null, null));
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<HostingOptions>>((host, options) =>
            host.ShutdownTimeout = options.Value.DrainDelay + options.Value.ShutdownTimeout);
    }

    private static void AddOpenTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            // service.name defaults to the host's own name, and OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (from the
            // environment or any other configuration source) override it: the SDK's default resource reads them first,
            // so a plain AddService would overwrite what an operator set.
            .ConfigureResource(r => r.Clear().AddService(serviceName).AddTelemetrySdk().AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("RagSuite.*")
                .AddMeter("Polly")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource("RagSuite.*")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsInfrastructurePath(context.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    private static bool IsInfrastructurePath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    /// <summary>
    /// Maps <c>/healthz</c> (process alive), <c>/readyz</c> (dependencies ready) and <c>/metrics</c>. A host whose
    /// readiness has parts worth showing (the gateway's dependencies) passes <paramref name="readinessWriter"/>;
    /// others answer with the plain status.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, Func<HttpContext, HealthReport, Task>? readinessWriter = null)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/readyz", readinessWriter is null ? new HealthCheckOptions() : new HealthCheckOptions { ResponseWriter = readinessWriter });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
