using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Security;

namespace RagSuite.Core.Remote;

/// <summary>
/// What makes a gRPC hop cheap: one long-lived HTTP/2 connection per service address (more only when one fills its
/// concurrent streams), kept open between bursts and checked with pings instead of being dropped after a minute idle,
/// flow-control windows large enough that a search answer of 50 passages or a rerank request of 50 passages never waits
/// for a WINDOW_UPDATE round trip, and no HttpClientFactory request logging (the gRPC client logs calls itself; the
/// factory's handlers would log four lines and open a scope per hop at Information). With <see cref="ServiceTlsOptions"/>
/// on, every connection presents this process's certificate and trusts only the suite's CA (see <see cref="ServiceTls"/>).
/// </summary>
internal static class GrpcChannelTuning
{
    /// <summary>HTTP/2 stream receive window: above the largest answer a query stage gets (a few hundred KB at most).</summary>
    public const int StreamWindowBytes = 4 * 1024 * 1024;

    public static IHttpClientBuilder WithCheapHops(this IHttpClientBuilder builder) => builder
        .ConfigurePrimaryHttpMessageHandler(services =>
        {
            var handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                InitialHttp2StreamWindowSize = StreamWindowBytes,
            };
            var tls = services.GetRequiredService<ServiceTls>();
            if (tls.Enabled) handler.SslOptions = tls.ClientOptions();
            return handler;
        })
        .RemoveAllLoggers();
}
