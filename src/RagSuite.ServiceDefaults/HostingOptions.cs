using System.ComponentModel.DataAnnotations;

namespace RagSuite.ServiceDefaults;

/// <summary>
/// Where a host listens (section <c>RagSuite:Hosting</c>). HTTP/1.1 serves REST, <c>/metrics</c> and the
/// health endpoints; gRPC gets its own HTTP/2 port because cleartext HTTP/2 cannot share a port with
/// HTTP/1.1 in Kestrel without TLS.
/// </summary>
public sealed class HostingOptions
{
    public const string Section = "RagSuite:Hosting";

    /// <summary>Address to bind: 0.0.0.0 in a container, 127.0.0.1 to stay on this machine.</summary>
    [Required]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>HTTP/1.1 port (REST, metrics, health). 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; } = 8080;

    /// <summary>HTTP/2 port for gRPC services. 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 8081;

    /// <summary>
    /// Console log format, <c>json</c> or <c>text</c>; unset, JSON in a container and text elsewhere
    /// (see <see cref="ServiceDefaults.LogFormat"/>).
    /// </summary>
    [RegularExpression("(?i)^\\s*(json|text)\\s*$", ErrorMessage = "LogFormat must be 'json' or 'text'")]
    public string? LogFormat { get; set; }
}
