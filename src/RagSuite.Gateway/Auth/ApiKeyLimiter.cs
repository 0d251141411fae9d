using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// Per-key limits: a token bucket (a rate with a burst above it) and a cap on requests in flight. Nothing queues: a
/// request over either limit gets 429 at once, with when to retry. A key's partition is keyed by its limits as well as its
/// name, so a reloaded file with new limits takes effect at once.
/// </summary>
public sealed class ApiKeyLimiter(IOptions<ApiKeyOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<ApiKey> _rate = PartitionedRateLimiter.Create<ApiKey, (string, int, int)>(key =>
    {
        var perSecond = key.RequestsPerSecond ?? options.Value.RequestsPerSecond;
        var burst = key.Burst ?? options.Value.Burst;
        return RateLimitPartition.GetTokenBucketLimiter((key.Name, perSecond, burst), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    });

    private readonly PartitionedRateLimiter<ApiKey> _concurrency = PartitionedRateLimiter.Create<ApiKey, (string, int)>(key =>
    {
        var limit = key.MaxConcurrentRequests ?? options.Value.MaxConcurrentRequests;
        return RateLimitPartition.GetConcurrencyLimiter((key.Name, limit), _ => new ConcurrencyLimiterOptions { PermitLimit = limit, QueueLimit = 0 });
    });

    /// <summary>Takes one token from the key's bucket.</summary>
    /// <exception cref="RagSuiteException">ResourceExhausted, with a retry-after, when the key is over its rate.</exception>
    public void AcquireRate(ApiKey key)
    {
        using var rate = _rate.AttemptAcquire(key);
        if (rate.IsAcquired) return;
        var retryAfter = rate.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        throw RagSuiteException.Exhausted($"API key '{key.Name}' is over its rate limit; retry after the time Retry-After gives.",
            retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter);
    }

    /// <summary>A lease to hold while the request runs.</summary>
    /// <exception cref="RagSuiteException">ResourceExhausted, with a retry-after, when the key has as many requests in flight as it may.</exception>
    public RateLimitLease AcquireConcurrency(ApiKey key)
    {
        var lease = _concurrency.AttemptAcquire(key);
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        throw RagSuiteException.Exhausted($"API key '{key.Name}' has as many requests in flight as it may; retry when one has finished.",
            TimeSpan.FromSeconds(1));
    }

    public void Dispose()
    {
        _rate.Dispose();
        _concurrency.Dispose();
    }
}
