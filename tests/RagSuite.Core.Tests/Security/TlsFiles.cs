using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RagSuite.Core.Security;
using RagSuite.Testing;

namespace RagSuite.Core.Tests.Security;

/// <summary>
/// One process's TLS files in a directory of their own, laid out as a cert-manager Secret mounted as a volume:
/// <c>tls.crt</c>, <c>tls.key</c> and <c>ca.crt</c>; written again to rotate them.
/// </summary>
internal sealed class TlsFiles : IDisposable
{
    private readonly TemporaryDirectory _directory = new("ragsuite-tls");

    public string CertificateFile => Path.Combine(_directory.Path, "tls.crt");

    public string KeyFile => Path.Combine(_directory.Path, "tls.key");

    public string CaFile => Path.Combine(_directory.Path, "ca.crt");

    /// <summary>Files for <paramref name="certificate"/>, trusting <paramref name="trusted"/>.</summary>
    public static TlsFiles For(X509Certificate2 certificate, params TestAuthority[] trusted)
    {
        var files = new TlsFiles();
        files.Write(certificate, trusted);
        return files;
    }

    /// <summary>
    /// Writes the three files, each replaced whole (written beside it, then moved over it), as a rotation does; a reader
    /// may still see the new certificate with the old key for a moment, as it may when kubelet or an operator updates them.
    /// </summary>
    public void Write(X509Certificate2 certificate, params TestAuthority[] trusted)
    {
        Replace(CertificateFile, certificate.ExportCertificatePem());
        Replace(KeyFile, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        Replace(CaFile, string.Join('\n', trusted.Select(t => t.Certificate.ExportCertificatePem())));
    }

    /// <summary>Settings turning service TLS on with these files, re-read every 0.1 s.</summary>
    public string[] Settings() =>
    [
        $"{ServiceTlsOptions.Section}:Enabled=true",
        $"{ServiceTlsOptions.Section}:CertificateFile={CertificateFile}",
        $"{ServiceTlsOptions.Section}:KeyFile={KeyFile}",
        $"{ServiceTlsOptions.Section}:CaFile={CaFile}",
        $"{ServiceTlsOptions.Section}:ReloadSeconds=0.1",
    ];

    private static void Replace(string path, string content)
    {
        var next = path + ".next";
        File.WriteAllText(next, content + "\n");
        File.Move(next, path, overwrite: true);
    }

    public void Dispose() => _directory.Dispose();
}
