using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagSuite.Core.Security;

namespace RagSuite.ServiceDefaults;

/// <summary>
/// gRPC server defaults for every service host: the service token check, error mapping, health service, mutual TLS when
/// <c>RagSuite:ServiceTls</c> is on (see <see cref="ServiceDefaultsExtensions.ListenOnConfiguredPorts"/>), and reflection
/// when <see cref="HostingOptions.GrpcReflection"/> allows it.
/// </summary>
public static class GrpcServiceDefaultsExtensions
{
    /// <summary>Largest message a service accepts; an upsert batch of a few thousand chunks fits.</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    public static WebApplicationBuilder AddGrpcServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.ListenOnConfiguredPorts(grpc: true);
        builder.Services.AddServiceToken(builder.Configuration);
        builder.Services.AddServiceTls(builder.Configuration);
        builder.Services.AddHostedService<ServiceTokenStartupLog>();
        // A gRPC call's handler never runs on a socket thread (Kestrel hands each HTTP/2 stream to the thread pool), so
        // socket reads and writes may complete inline instead of each taking another trip through the thread pool: one
        // wake-up fewer per frame, which is most of a hop's cost on loopback or a cluster network.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.Services.AddGrpc(o =>
        {
            // First, so a call without the token does no work at all.
            o.Interceptors.Add<ServiceTokenServerInterceptor>();
            o.Interceptors.Add<ErrorInterceptor>();
            o.MaxReceiveMessageSize = MaxMessageBytes;
            o.MaxSendMessageSize = MaxMessageBytes;
        });
        builder.Services.AddGrpcReflection();
        // grpc.health.v1 reports the same checks as /readyz, so Kubernetes grpc probes and HTTP probes agree.
        builder.Services.AddGrpcHealthChecks();
        return builder;
    }

    public static WebApplication MapGrpcServiceDefaults(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        // Not mapped at all when off: the call finds no such service and gets UNIMPLEMENTED, as from any other server.
        if (app.Services.GetRequiredService<IOptions<HostingOptions>>().Value.GrpcReflection) app.MapGrpcReflectionService();
        return app;
    }
}
