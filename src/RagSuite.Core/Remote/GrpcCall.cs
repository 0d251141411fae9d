using Grpc.Core;
using RagSuite.Core.Errors;

namespace RagSuite.Core.Remote;

/// <summary>Runs gRPC calls with a deadline and turns their failures into <see cref="RagSuiteException"/>.</summary>
internal sealed class GrpcCall(string role, RemoteServiceOptions options)
{
    public CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + options.Timeout, cancellationToken: cancellationToken);

    public async Task<T> UnaryAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> start, CancellationToken cancellationToken)
    {
        try
        {
            using var call = start(Options(cancellationToken));
            return await call.ResponseAsync;
        }
        catch (RpcException e)
        {
            throw Translate(e, cancellationToken);
        }
    }

    public async IAsyncEnumerable<T> StreamAsync<T>(Func<CallOptions, AsyncServerStreamingCall<T>> start,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = start(Options(cancellationToken));
        var reader = call.ResponseStream;
        while (true)
        {
            bool more;
            try
            {
                more = await reader.MoveNext(cancellationToken);
            }
            catch (RpcException e)
            {
                throw Translate(e, cancellationToken);
            }
            if (!more) yield break;
            yield return reader.Current;
        }
    }

    private Exception Translate(RpcException e, CancellationToken cancellationToken) =>
        e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested
            ? new OperationCanceledException(cancellationToken)
            : GrpcErrors.FromRpcException(e, role.ToLowerInvariant());
}
