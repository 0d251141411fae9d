using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RagSuite.Core.Tests.Security;

/// <summary>
/// A certificate authority made in the test, as cert-manager's CA issuer would be: a self-signed P-256 CA that issues
/// leaf certificates for DNS names and IP addresses, for server authentication, client authentication or both.
/// </summary>
internal sealed class TestAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private TestAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static TestAuthority Create(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestAuthority(request.CreateSelfSigned(now.AddDays(-2), now.AddDays(2)));
    }

    /// <summary>
    /// A certificate for <paramref name="names"/> (DNS names, or IP addresses where they parse as one) with its key.
    /// <paramref name="notAfter"/> in the past makes an expired one.
    /// </summary>
    public X509Certificate2 Issue(string subject, string[] names, bool server = true, bool client = true, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        if (server) usages.Add(ServerAuthentication);
        if (client) usages.Add(ClientAuthentication);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        if (names.Length > 0)
        {
            var alternative = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                if (IPAddress.TryParse(name, out var address)) alternative.AddIpAddress(address);
                else alternative.AddDnsName(name);
            }
            request.CertificateExtensions.Add(alternative.Build());
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var end = notAfter ?? DateTimeOffset.UtcNow.AddHours(12);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Certificate, end.AddDays(-1), end, serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose() => Certificate.Dispose();
}
