using Grpc.Core;
using Grpc.Core.Interceptors;

namespace RagSuite.Core.Security;

/// <summary>
/// Adds <c>authorization: Bearer &lt;token&gt;</c> to every call of a gateway's gRPC client when a service token is configured.
/// An interceptor rather than <see cref="CallCredentials"/>: those are only sent over TLS, and inside a cluster the
/// gateway's channels are cleartext HTTP/2 unless <see cref="ServiceTlsOptions"/> is on.
/// </summary>
public sealed class ServiceTokenClientInterceptor(ServiceToken token) : Interceptor
{
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithToken(context));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithToken(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithToken(context));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithToken(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithToken(context));

    private ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (token.Value is not { } value) return context;
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? []) headers.Add(entry);
        headers.Add(ServiceTokenHeaders.Authorization, ServiceTokenHeaders.BearerPrefix + value);
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
