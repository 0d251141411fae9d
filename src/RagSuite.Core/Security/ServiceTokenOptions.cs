using System.ComponentModel.DataAnnotations;

namespace RagSuite.Core.Security;

/// <summary>
/// The shared token the gateway presents to the four services (section <c>RagSuite:ServiceToken</c>). With neither
/// <see cref="File"/> nor <see cref="Value"/> set, services accept every call, as the embedded default and a laptop run
/// need; with one set, the gateway sends it on every gRPC call and each service refuses calls without it.
/// </summary>
public sealed class ServiceTokenOptions
{
    public const string Section = "RagSuite:ServiceToken";

    /// <summary>Fewer characters than this would be guessable; a token is meant to be random (<c>openssl rand -hex 32</c>).</summary>
    public const int MinimumLength = 16;

    /// <summary>A file holding the token, typically a mounted Kubernetes Secret; read again when it changes.</summary>
    public string? File { get; set; }

    /// <summary>The token itself, for development; in a cluster use <see cref="File"/>, so the token never sits in a manifest.</summary>
    public string? Value { get; set; }

    /// <summary>How often the file is checked for a new token, so a rotated Secret takes effect without a restart.</summary>
    [Range(0.05, 3600)]
    public double ReloadSeconds { get; set; } = 5;
}
