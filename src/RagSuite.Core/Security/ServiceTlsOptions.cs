using System.ComponentModel.DataAnnotations;

namespace RagSuite.Core.Security;

/// <summary>
/// Mutual TLS on the gRPC hop between the gateway and the services (section <c>RagSuite:ServiceTls</c>). Off, the
/// services' gRPC port is cleartext HTTP/2, as a laptop run and a cluster with a mesh need. On, every service serves its
/// gRPC port over TLS with <see cref="CertificateFile"/> and accepts only callers presenting a certificate that chains to
/// <see cref="CaFile"/>, and every gRPC client (the gateway's, the generator's) presents the same certificate and trusts
/// only that CA and the name it dialled. The files are the three a cert-manager Certificate writes into its Secret
/// (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>), read again when they change, so a renewed certificate needs no restart.
/// The HTTP port (<c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>) stays plain HTTP for the kubelet and Prometheus.
/// </summary>
public sealed class ServiceTlsOptions
{
    public const string Section = "RagSuite:ServiceTls";

    public bool Enabled { get; set; }

    /// <summary>PEM: this process's certificate first, then any intermediates (cert-manager's <c>tls.crt</c>).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM: the certificate's private key, PKCS#1, PKCS#8 or SEC1 (cert-manager's <c>tls.key</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// PEM: the CA certificates a peer's certificate must chain to (cert-manager's <c>ca.crt</c>); a bundle of several (the
    /// old and the new CA during a CA rotation) trusts each. The system's trust store is never consulted.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// How often the three files are checked for new contents. Polling rather than a file watcher: a Kubernetes Secret
    /// volume is updated by swapping a symlink, which file watchers do not see.
    /// </summary>
    [Range(0.05, 3600)]
    public double ReloadSeconds { get; set; } = 10;
}
