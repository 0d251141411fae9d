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

    /// <summary>Set to <c>true</c> by Microsoft's .NET container images; RagSuite's Dockerfiles and Helm chart set it too.</summary>
    public const string InContainerVariable = "DOTNET_RUNNING_IN_CONTAINER";

    /// <summary>Every interface: a container's own network namespace is the boundary, and a pod must be reachable.</summary>
    public const string AllInterfaces = "0.0.0.0";

    /// <summary>This machine only: a process started on a laptop or a shared server is not open to the network by accident.</summary>
    public const string Loopback = "127.0.0.1";

    /// <summary>Address to bind: by default 0.0.0.0 in a container and 127.0.0.1 elsewhere (see <see cref="DefaultBindAddress"/>).</summary>
    [Required]
    public string BindAddress { get; set; } = DefaultBindAddress(Environment.GetEnvironmentVariable(InContainerVariable));

    /// <summary>HTTP/1.1 port (REST, metrics, health). 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; } = 8080;

    /// <summary>HTTP/2 port for gRPC services (TLS when <c>RagSuite:ServiceTls</c> is on). 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 8081;

    /// <summary>
    /// Whether gRPC services answer server reflection (<c>grpc.reflection.v1alpha</c>), which lists every service and
    /// method and their message types, so <c>grpcurl</c> works without the .proto files. A map of the attack surface for
    /// anyone who reaches the port, so by default it is off in a container (and the Helm chart sets it from
    /// <c>grpc.reflection</c>, off except in values-dev) and on elsewhere, where a developer runs a service on loopback
    /// (see <see cref="BindAddress"/>) and wants to poke at it. Off, a reflection call gets UNIMPLEMENTED.
    /// </summary>
    public bool GrpcReflection { get; set; } = !InContainer(Environment.GetEnvironmentVariable(InContainerVariable));

    /// <summary>The default bind address for the value of <see cref="InContainerVariable"/> (<c>true</c> or <c>1</c> means a container).</summary>
    public static string DefaultBindAddress(string? runningInContainer) => InContainer(runningInContainer) ? AllInterfaces : Loopback;

    /// <summary>Whether a value of <see cref="InContainerVariable"/> says the host runs in a container (<c>true</c> or <c>1</c>).</summary>
    public static bool InContainer(string? runningInContainer) =>
        runningInContainer?.Trim() is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    /// <summary>
    /// After SIGTERM, how long the host keeps serving while <c>/readyz</c> already says it is draining, so balancers and
    /// Kubernetes' endpoint controllers take it out of rotation before it stops accepting calls. Default: 5 s in a
    /// container, none elsewhere.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan DrainDelay { get; set; } = InContainer(Environment.GetEnvironmentVariable(InContainerVariable)) ? TimeSpan.FromSeconds(5) : TimeSpan.Zero;

    /// <summary>
    /// How long, once it stops accepting calls, the host waits for requests and streams already in flight to finish;
    /// keep <see cref="DrainDelay"/> plus this under the pod's termination grace period (30 s by default).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Console log format, <c>json</c> or <c>text</c>; unset, JSON in a container and text elsewhere
    /// (see <see cref="ServiceDefaults.LogFormat"/>).
    /// </summary>
    [RegularExpression("(?i)^\\s*(json|text)\\s*$", ErrorMessage = "LogFormat must be 'json' or 'text'")]
    public string? LogFormat { get; set; }
}
