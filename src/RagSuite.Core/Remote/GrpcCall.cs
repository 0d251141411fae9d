using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using RagSuite.Core.Errors;

namespace RagSuite.Core.Remote;

/// <summary>
/// Runs gRPC calls to one service through its <see cref="ServiceResilience"/> and turns their failures into
/// <see cref="RagSuiteException"/>s that name the service, never its address.
/// </summary>
internal sealed class GrpcCall(string role, ServiceResilience resilience)
{
    private readonly string _service = role.ToLowerInvariant();

    public RemoteServiceOptions Options => resilience.Options;

    public async Task<T> UnaryAsync<T>(CallKind kind, Func<CallOptions, AsyncUnaryCall<T>> start, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await resilience.ExecuteAsync(kind, async (deadline, attemptToken) =>
            {
                using var call = start(new CallOptions(deadline: resilience.AttemptDeadline(deadline), cancellationToken: attemptToken));
                return await call.ResponseAsync;
            }, cancellationToken);
        }
        catch (Exception e) when (Translate(e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// A server stream whose opening (the call up to its first message) is retried like a read; once a message has
    /// arrived the stream is the caller's, and a break after that is reported, not repeated.
    /// </summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(Func<CallOptions, AsyncServerStreamingCall<T>> start,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        Opened<T> opened;
        try
        {
            opened = await resilience.ExecuteAsync(CallKind.Read, async (deadline, attemptToken) =>
            {
                // The stream outlives the attempt, so it takes the whole call's deadline and the caller's token.
                var call = start(new CallOptions(deadline: deadline, cancellationToken: cancellationToken));
                try
                {
                    using var attempt = attemptToken.Register(call.Dispose);
                    var first = await call.ResponseStream.MoveNext(attemptToken) ? call.ResponseStream.Current : null;
                    return new Opened<T>(call, first);
                }
                catch
                {
                    call.Dispose();
                    throw;
                }
            }, cancellationToken);
        }
        catch (Exception e) when (Translate(e, cancellationToken) is { } translated)
        {
            throw translated;
        }

        using var stream = opened.Call;
        if (opened.First is null) yield break;
        yield return opened.First;
        while (true)
        {
            bool more;
            try
            {
                more = await stream.ResponseStream.MoveNext(cancellationToken);
            }
            catch (RpcException e)
            {
                throw Translate(e, cancellationToken)!;
            }
            if (!more) yield break;
            yield return stream.ResponseStream.Current;
        }
    }

    private sealed record Opened<T>(AsyncServerStreamingCall<T> Call, T? First) where T : class;

    private Exception? Translate(Exception e, CancellationToken cancellationToken) => e switch
    {
        _ when cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }
            => new OperationCanceledException(cancellationToken),
        // Cancelled while the caller still waits: the call's own total timeout (ServiceResilience) gave up on it.
        RpcException { StatusCode: StatusCode.Cancelled } or TimeoutRejectedException => Late(),
        RpcException rpc => GrpcErrors.FromRpcException(rpc, _service),
        BrokenCircuitException => new RagSuiteException(ErrorKind.Unavailable,
            $"The {_service} is unavailable: its circuit is open after repeated failures.")
        {
            RetryAfter = resilience.Options.BreakDuration,
        },
        RateLimiterRejectedException => new RagSuiteException(ErrorKind.Unavailable,
            $"The {_service} is at its concurrency limit ({resilience.Options.MaxConcurrentCalls} calls in flight, {resilience.Options.MaxQueuedCalls} waiting).")
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        },
        _ => null,
    };

    // The same words as a deadline the service itself reported (GrpcErrors), whichever side noticed first.
    private RagSuiteException Late() => new(ErrorKind.DeadlineExceeded, $"The {_service} did not answer in time.");
}
