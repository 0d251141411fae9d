using Grpc.Core;
using Grpc.Core.Interceptors;
using RagSuite.Core.Security;

namespace RagSuite.ServiceDefaults;

/// <summary>
/// Refuses, with UNAUTHENTICATED, every gRPC call that does not carry the service token (as <c>authorization: Bearer</c>
/// or <c>x-ragsuite-service-token</c>) when one is configured, so only the gateway can reach a service directly. The
/// gRPC health service stays open: Kubernetes' gRPC probes send no metadata. <c>/healthz</c>, <c>/readyz</c> and
/// <c>/metrics</c> are HTTP endpoints, which this never sees.
/// </summary>
internal sealed class ServiceTokenServerInterceptor(ServiceToken token) : Interceptor
{
    private const string HealthServicePrefix = "/grpc.health.v1.Health/";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Demand(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Demand(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Demand(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Demand(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Demand(ServerCallContext context)
    {
        if (!token.Enabled || context.Method.StartsWith(HealthServicePrefix, StringComparison.Ordinal)) return;
        // The message names neither the token nor what was sent: a caller's log must not leak either.
        if (!token.Matches(Presented(context.RequestHeaders)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"This service accepts calls from the RagSuite gateway only: send the service token ({ServiceTokenOptions.Section})."));
        }
    }

    private static string? Presented(Metadata headers)
    {
        if (headers.GetValue(ServiceTokenHeaders.Authorization) is { } authorization
            && authorization.StartsWith(ServiceTokenHeaders.BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[ServiceTokenHeaders.BearerPrefix.Length..].Trim();
        }
        return headers.GetValue(ServiceTokenHeaders.ServiceToken);
    }
}
