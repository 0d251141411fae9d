using k8s.Models;
using YamlDotNet.Serialization;

namespace RagSuite.Deploy.Tests.Crds;

/// <summary>monitoring.coreos.com/v1 ServiceMonitor (prometheus-operator): which Services Prometheus scrapes, and how.</summary>
public sealed class ServiceMonitor : CustomResource<ServiceMonitorSpec>;

public sealed class ServiceMonitorSpec
{
    public string? JobLabel { get; set; }

    public List<string>? TargetLabels { get; set; }

    public List<string>? PodTargetLabels { get; set; }

    public List<ServiceMonitorEndpoint>? Endpoints { get; set; }

    public V1LabelSelector? Selector { get; set; }

    public NamespaceSelector? NamespaceSelector { get; set; }

    public long? SampleLimit { get; set; }

    public long? TargetLimit { get; set; }

    public long? LabelLimit { get; set; }

    public string? ScrapeClass { get; set; }
}

public sealed class NamespaceSelector
{
    public bool? Any { get; set; }

    public List<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    public string? Port { get; set; }

    public IntOrString? TargetPort { get; set; }

    public string? Path { get; set; }

    public string? Scheme { get; set; }

    public Dictionary<string, List<string>>? Params { get; set; }

    public string? Interval { get; set; }

    public string? ScrapeTimeout { get; set; }

    public bool? HonorLabels { get; set; }

    public bool? HonorTimestamps { get; set; }

    public bool? FollowRedirects { get; set; }

    [YamlMember(Alias = "enableHttp2", ApplyNamingConventions = false)]
    public bool? EnableHttp2 { get; set; }

    public bool? FilterRunning { get; set; }

    public SafeTlsConfig? TlsConfig { get; set; }

    public SecretOrConfigMapAuthorization? Authorization { get; set; }

    public List<RelabelConfig>? Relabelings { get; set; }

    public List<RelabelConfig>? MetricRelabelings { get; set; }
}

/// <summary>TLS for a scrape: certificates from Secrets or ConfigMaps, or from files mounted into Prometheus.</summary>
public sealed class SafeTlsConfig
{
    [YamlMember(Alias = "ca", ApplyNamingConventions = false)]
    public SecretOrConfigMap? Ca { get; set; }

    public SecretOrConfigMap? Cert { get; set; }

    public KeySelector? KeySecret { get; set; }

    [YamlMember(Alias = "caFile", ApplyNamingConventions = false)]
    public string? CaFile { get; set; }

    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    public string? ServerName { get; set; }

    public bool? InsecureSkipVerify { get; set; }
}

public sealed class SecretOrConfigMap
{
    public KeySelector? Secret { get; set; }

    public KeySelector? ConfigMap { get; set; }
}

public sealed class SecretOrConfigMapAuthorization
{
    public string? Type { get; set; }

    public KeySelector? Credentials { get; set; }
}

public sealed class RelabelConfig
{
    public List<string>? SourceLabels { get; set; }

    public string? Separator { get; set; }

    public string? TargetLabel { get; set; }

    public string? Regex { get; set; }

    public long? Modulus { get; set; }

    public string? Replacement { get; set; }

    public string? Action { get; set; }
}
