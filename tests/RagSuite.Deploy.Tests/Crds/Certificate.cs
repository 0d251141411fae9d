using YamlDotNet.Serialization;

namespace RagSuite.Deploy.Tests.Crds;

/// <summary>cert-manager.io/v1 Certificate: cert-manager issues it into the Secret <c>spec.secretName</c> and renews it.</summary>
public sealed class Certificate : CustomResource<CertificateSpec>;

public sealed class CertificateSpec
{
    public string? SecretName { get; set; }

    public CertificateSecretTemplate? SecretTemplate { get; set; }

    public IssuerRef? IssuerRef { get; set; }

    public string? CommonName { get; set; }

    public List<string>? DnsNames { get; set; }

    public List<string>? IpAddresses { get; set; }

    public List<string>? Uris { get; set; }

    public List<string>? EmailAddresses { get; set; }

    public string? Duration { get; set; }

    public string? RenewBefore { get; set; }

    public int? RenewBeforePercentage { get; set; }

    public List<string>? Usages { get; set; }

    [YamlMember(Alias = "isCA", ApplyNamingConventions = false)]
    public bool? IsCa { get; set; }

    public CertificatePrivateKey? PrivateKey { get; set; }

    public CertificateSubject? Subject { get; set; }

    public int? RevisionHistoryLimit { get; set; }
}

public sealed class CertificateSecretTemplate
{
    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class IssuerRef
{
    public string? Name { get; set; }

    public string? Kind { get; set; }

    public string? Group { get; set; }
}

public sealed class CertificatePrivateKey
{
    public string? Algorithm { get; set; }

    public string? Encoding { get; set; }

    public int? Size { get; set; }

    public string? RotationPolicy { get; set; }
}

public sealed class CertificateSubject
{
    public List<string>? Organizations { get; set; }

    public List<string>? OrganizationalUnits { get; set; }

    public List<string>? Countries { get; set; }

    public List<string>? Localities { get; set; }

    public List<string>? Provinces { get; set; }

    public string? SerialNumber { get; set; }
}
