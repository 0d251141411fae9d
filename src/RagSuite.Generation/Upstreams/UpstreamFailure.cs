using System.ClientModel;
using Polly.CircuitBreaker;

namespace RagSuite.Generation.Upstreams;

/// <summary>Why an upstream call failed, as a short reason for responses and a tag for metrics. Never its address or key.</summary>
public sealed record UpstreamFailure(string Kind, string Reason)
{
    public static UpstreamFailure Of(Exception e) => e switch
    {
        BrokenCircuitException => new("circuit_open", "its circuit is open after repeated failures"),
        ClientResultException { Status: > 0 } http => new($"http_{http.Status}", $"it answered HTTP {http.Status}"),
        UpstreamException own => new(own.Kind, own.Message),
        HttpRequestException or ClientResultException => new("connection", "it could not be reached"),
        IOException => new("stream_dropped", "its stream broke off"),
        _ => new("error", $"it failed ({e.GetType().Name})"),
    };
}

/// <summary>An upstream misbehaved in a way the protocol does not report itself (no text, an unusable reply).</summary>
public class UpstreamException(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;
}

/// <summary>No token came within the upstream's first-token or idle timeout.</summary>
public sealed class UpstreamTimeoutException(string kind, string message) : UpstreamException(kind, message);
