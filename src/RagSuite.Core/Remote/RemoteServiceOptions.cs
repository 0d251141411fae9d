using System.ComponentModel.DataAnnotations;

namespace RagSuite.Core.Remote;

/// <summary>
/// Where one role's gRPC service runs (section <c>RagSuite:Services:{Role}</c>). When no address is
/// set the gateway hosts the role in-process; with an address it calls the service over gRPC.
/// </summary>
public sealed class RemoteServiceOptions
{
    public const string SectionPrefix = "RagSuite:Services";

    /// <summary>http://host:port, or dns:///host:port for client-side round-robin over a headless Service.</summary>
    public Uri? Address { get; set; }

    /// <summary>Deadline for each call; a call that runs past it fails with 504.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per call when the service answers UNAVAILABLE (1 = no retry).</summary>
    [Range(1, 5)]
    public int MaxAttempts { get; set; } = 3;

    public static string Section(string role) => $"{SectionPrefix}:{role}";
}
