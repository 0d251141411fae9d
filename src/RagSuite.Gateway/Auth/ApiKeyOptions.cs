using System.ComponentModel.DataAnnotations;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// API keys on the REST API (section <c>RagSuite:Gateway:Auth</c>). With no <see cref="KeysFile"/> the API is open, as the
/// embedded default runs; with one, every <c>/v1</c> request needs a key that file lists. The limits here apply to keys
/// that set none of their own.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "RagSuite:Gateway:Auth";

    /// <summary>The JSON key file, typically a mounted Kubernetes Secret; it holds hashes of keys, never keys.</summary>
    public string? KeysFile { get; set; }

    /// <summary>How often the key file is read again; a changed file takes effect within this time, without a restart.</summary>
    [Range(0.05, 3600)]
    public double ReloadSeconds { get; set; } = 5;

    /// <summary>Requests a key may make per second, on average (a token bucket's refill).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests a key may make at once above its rate (the token bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;

    /// <summary>Requests of one key in flight at the same time; more get 429 at once.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 16;
}
