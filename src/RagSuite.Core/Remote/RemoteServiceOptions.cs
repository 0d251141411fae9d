using System.ComponentModel.DataAnnotations;

namespace RagSuite.Core.Remote;

/// <summary>
/// Where one role's gRPC service runs and how calls to it survive failures (section <c>RagSuite:Services:{Role}</c>).
/// With no address the gateway hosts the role in-process; with one it calls the service over gRPC, spreading calls
/// round-robin over every replica the address names.
/// </summary>
public sealed class RemoteServiceOptions
{
    public const string SectionPrefix = "RagSuite:Services";

    /// <summary>
    /// <c>http://host:port</c> for one replica, or <c>dns:///headless-service:port</c> for every address the name
    /// resolves to, re-resolved every <c>RagSuite:Services:DnsRefreshInterval</c> (5 s). With <c>RagSuite:ServiceTls</c> on,
    /// <c>dns:///</c> or <c>https://</c>: the service's certificate must name the host given here.
    /// </summary>
    public Uri? Address { get; set; }

    /// <summary>A fixed list of replicas (<c>http://host:port</c> each), instead of <see cref="Address"/>.</summary>
    public List<Uri> Addresses { get; set; } = [];

    /// <summary>
    /// The most one call may take, all attempts together (cut shorter by the request's own deadline); a call that
    /// runs past it fails with 504, or makes the answer poorer where the service is optional.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most one attempt may take before it is given up and retried on another replica.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per idempotent call when a replica is unreachable or an attempt times out (1 = no retry).</summary>
    [Range(1, 5)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry's median delay; later ones grow exponentially, each jittered.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// For the embedder's and the retriever's reads: how long an attempt may go unanswered before the same call is
    /// also sent to another replica (the first answer wins). Zero turns hedging off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan HedgingDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Calls in flight to this service at once from this process (a bulkhead: one slow service cannot take every thread).</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentCalls { get; set; } = 256;

    /// <summary>Calls that may wait for a free slot; beyond that a call fails at once as unavailable.</summary>
    [Range(0, 100_000)]
    public int MaxQueuedCalls { get; set; } = 1024;

    /// <summary>Share of calls failing (after their retries) within <see cref="BreakerWindow"/> that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls within the window before the breaker judges at all.</summary>
    [Range(2, 100_000)]
    public int BreakerMinimumCalls { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakerWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open circuit fails calls at once before one trial call is let through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts to reconnect to a replica that went away (a restarted pod is back within it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long this client believes what the service's answers showed of its configuration (an embedder without a dense
    /// model, a reranker whose AUTO reranks nothing) and answers such calls itself, sparing the hop; a model loaded later
    /// is used within this time. Zero asks the service on every call.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ConfigurationMemory { get; set; } = TimeSpan.FromSeconds(10);

    public static string Section(string role) => $"{SectionPrefix}:{role}";
}
