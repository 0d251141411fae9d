using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.Retry;
using Polly.Timeout;

namespace RagSuite.Core.Remote;

/// <summary>
/// The Polly pipelines that every call to one service runs through, outermost first: the call's total timeout (its
/// budget, cut to the request's deadline), a bulkhead (concurrency limit with a bounded queue), a circuit breaker that
/// judges whole calls (so one dead replica among several, whose calls are retried elsewhere, never opens it), then,
/// by <see cref="CallKind"/>, hedging or jittered retries. Each attempt carries its own gRPC deadline, so a replica
/// that stalls is given up on and the attempt goes to another.
/// </summary>
internal sealed class ServiceResilience
{
    /// <summary>The moment a call must be done by, set on its context so retry decisions can see what is left.</summary>
    public static readonly ResiliencePropertyKey<DateTime> CallDeadline = new("ragsuite.call-deadline");

    private readonly ResiliencePipeline _guard;
    private readonly Dictionary<CallKind, ResiliencePipeline<object>> _attempts;

    public ServiceResilience(string role, RemoteServiceOptions options, bool hedged, ILoggerFactory loggerFactory)
    {
        Options = options;
        _guard = new ResiliencePipelineBuilder { Name = $"ragsuite-{role.ToLowerInvariant()}" }
            .AddTimeout(new TimeoutStrategyOptions { TimeoutGenerator = _ => ValueTask.FromResult(RequestDeadline.Budget(options.Timeout)) })
            .AddConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.MaxConcurrentCalls,
                QueueLimit = options.MaxQueuedCalls,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumCalls,
                SamplingDuration = options.BreakerWindow,
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is RpcException e && IsServiceFailure(e.StatusCode)),
            })
            .ConfigureTelemetry(loggerFactory)
            .Build();

        _attempts = new()
        {
            [CallKind.Read] = Attempts(role, options, hedged && options.HedgingDelay > TimeSpan.Zero ? AttemptPolicy.Hedge : AttemptPolicy.Retry, loggerFactory),
            [CallKind.IdempotentWrite] = Attempts(role, options, AttemptPolicy.Retry, loggerFactory),
            [CallKind.Once] = Attempts(role, options, AttemptPolicy.RetryUnsent, loggerFactory),
        };
    }

    public RemoteServiceOptions Options { get; }

    /// <summary>Runs <paramref name="attempt"/> once or more (by <paramref name="kind"/>) under the service's guards.</summary>
    public async Task<T> ExecuteAsync<T>(CallKind kind, Func<DateTime, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = DateTime.UtcNow + RequestDeadline.Budget(Options.Timeout);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallDeadline, deadline);
        try
        {
            var attempts = _attempts[kind];
            return (T)await _guard.ExecuteAsync(
                static async (outer, state) => await state.attempts.ExecuteAsync(
                    static async (inner, state) => (object)await state.attempt(state.deadline, inner.CancellationToken),
                    outer, state),
                context, (attempts, attempt, deadline));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>An attempt's gRPC deadline: its own timeout, never past the call's.</summary>
    public DateTime AttemptDeadline(DateTime callDeadline)
    {
        var own = DateTime.UtcNow + Options.AttemptTimeout;
        return own < callDeadline ? own : callDeadline;
    }

    private enum AttemptPolicy
    {
        Retry,
        Hedge,
        /// <summary>Retry only calls that never reached a replica (its connection was refused).</summary>
        RetryUnsent,
    }

    private static ResiliencePipeline<object> Attempts(string role, RemoteServiceOptions options, AttemptPolicy policy, ILoggerFactory loggerFactory)
    {
        var builder = new ResiliencePipelineBuilder<object> { Name = $"ragsuite-{role.ToLowerInvariant()}", InstanceName = policy.ToString().ToLowerInvariant() };
        if (options.MaxAttempts > 1)
        {
            if (policy == AttemptPolicy.Hedge)
            {
                builder.AddHedging(new HedgingStrategyOptions<object>
                {
                    MaxHedgedAttempts = options.MaxAttempts - 1,
                    Delay = options.HedgingDelay,
                    ShouldHandle = args => ValueTask.FromResult(ShouldTryAgain(args.Outcome.Exception, args.Context)),
                });
            }
            else
            {
                builder.AddRetry(new RetryStrategyOptions<object>
                {
                    MaxRetryAttempts = options.MaxAttempts - 1,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = args => ValueTask.FromResult(policy == AttemptPolicy.RetryUnsent
                        ? NeverSent(args.Outcome.Exception)
                        : ShouldTryAgain(args.Outcome.Exception, args.Context)),
                });
            }
        }
        return builder.ConfigureTelemetry(loggerFactory).Build();
    }

    /// <summary>
    /// Another attempt may succeed where this one found its replica unreachable (UNAVAILABLE: refused, reset, shut
    /// down) or gave up on it (its own deadline passed while the call's had not).
    /// </summary>
    private static bool ShouldTryAgain(Exception? exception, ResilienceContext context) => exception switch
    {
        RpcException { StatusCode: StatusCode.Unavailable } => true,
        RpcException { StatusCode: StatusCode.DeadlineExceeded } =>
            context.Properties.TryGetValue(CallDeadline, out var deadline) && DateTime.UtcNow < deadline,
        _ => false,
    };

    private static bool NeverSent(Exception? exception)
    {
        if (exception is not RpcException { StatusCode: StatusCode.Unavailable }) return false;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }) return true;
        }
        return false;
    }

    /// <summary>The outcomes that count against the service: it was unreachable, late or broken; not a refusal of the request.</summary>
    private static bool IsServiceFailure(StatusCode status) =>
        status is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss;
}
