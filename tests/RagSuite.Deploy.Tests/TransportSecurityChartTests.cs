using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// What the chart renders for transport security: gRPC reflection only where a values file turns it on (dev), and with
/// <c>tls.enabled</c> a cert-manager Certificate per component (or one existing Secret) whose files every pod mounts and is
/// pointed at, certificates naming the headless Services the gateway dials, and HTTP probes only (the kubelet's gRPC probe
/// cannot do TLS).
/// </summary>
public sealed partial class TransportSecurityChartTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    private const string TlsDirectory = "/var/run/secrets/ragsuite/tls";

    private static readonly string[] Services = ["embedder", "retriever", "reranker", "generator"];
    private static readonly string[] Components = ["gateway", .. Services];

    [ChartRendererTheory]
    [InlineData("values.yaml", false)]
    [InlineData("values-dev.yaml", true)]
    [InlineData("values-staging.yaml", false)]
    [InlineData("values-prod.yaml", false)]
    public async Task Grpc_reflection_is_set_on_every_service_as_the_values_file_says_and_on_only_in_dev(string values, bool on)
    {
        var rendered = await RenderAsync(values);

        foreach (var service in Services)
        {
            Assert.Equal(on ? "true" : "false", rendered.ConfigMap(service).Data["RagSuite__Hosting__GrpcReflection"]);
        }
        // The gateway serves no gRPC.
        Assert.False(rendered.ConfigMap("gateway").Data.ContainsKey("RagSuite__Hosting__GrpcReflection"));
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-dev.yaml")]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task Without_tls_nothing_of_it_is_rendered(string values)
    {
        var rendered = await RenderAsync(values);

        Assert.Empty(rendered.Certificates);
        foreach (var component in Components)
        {
            Assert.DoesNotContain(rendered.ConfigMap(component).Data.Keys, k => k.StartsWith("RagSuite__ServiceTls__", StringComparison.Ordinal));
            Assert.DoesNotContain(rendered.Pod(component).Volumes, v => v.Secret is not null && v.Name == "service-tls");
        }
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-dev.yaml")]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task With_tls_from_cert_manager_each_component_mounts_its_own_certificate_and_is_pointed_at_it_and_probes_are_http(string values)
    {
        // probes.grpc asks for gRPC probes; with TLS on the chart must not render them.
        var rendered = await RenderAsync(values, """
            tls:
              enabled: true
              certManager:
                issuerRef: {name: ragsuite-ca, kind: ClusterIssuer}
            probes:
              grpc: true
            """);

        Assert.Equal(Components.Select(c => $"ragsuite-{c}-tls").Order(), rendered.Certificates.Select(c => c.Metadata.Name).Order());
        foreach (var component in Components)
        {
            var certificate = Assert.Single(rendered.Certificates, c => c.Metadata.Name == $"ragsuite-{component}-tls");
            Assert.Equal("ragsuite", certificate.Metadata.NamespaceProperty);
            Assert.Equal(component, certificate.Metadata.Labels["app.kubernetes.io/component"]);
            Assert.Equal(certificate.Metadata.Name, certificate.Spec.SecretName);
            Assert.Equal(("ragsuite-ca", "ClusterIssuer", "cert-manager.io"),
                (certificate.Spec.IssuerRef.Name, certificate.Spec.IssuerRef.Kind, certificate.Spec.IssuerRef.Group));
            Assert.Equal(("ECDSA", 256, "Always"), (certificate.Spec.PrivateKey.Algorithm, certificate.Spec.PrivateKey.Size, certificate.Spec.PrivateKey.RotationPolicy));
            Assert.Contains("client auth", certificate.Spec.Usages);
            Assert.Equal(component != "gateway", certificate.Spec.Usages.Contains("server auth"));
            Assert.Contains($"ragsuite-{component}.ragsuite.svc.cluster.local", certificate.Spec.DnsNames);

            AssertMountsTlsFiles(rendered, component, certificate.Spec.SecretName);
            AssertProbesAreHttp(rendered.Pod(component));
        }

        // Every name a client dials is on the certificate of the service behind it: the gateway's dns:/// addresses, and
        // the per-pod names under each headless Service.
        var gateway = rendered.ConfigMap("gateway").Data;
        foreach (var service in Services)
        {
            var address = new Uri(gateway[$"RagSuite__Services__{char.ToUpperInvariant(service[0])}{service[1..]}__Address"]);
            Assert.Equal("dns", address.Scheme);
            var host = address.AbsolutePath.Trim('/').Split(':')[0];
            var names = rendered.Certificates.Single(c => c.Metadata.Name == $"ragsuite-{service}-tls").Spec.DnsNames;
            Assert.Contains(host, names);
            Assert.Contains($"*.{host}", names);
            Assert.Equal($"ragsuite-{service}-headless.ragsuite.svc.cluster.local", host);
        }
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task With_tls_from_an_existing_secret_every_pod_mounts_that_secret_and_no_certificate_is_rendered(string values)
    {
        var rendered = await RenderAsync(values, """
            tls:
              enabled: true
              source: existingSecret
              existingSecret: ragsuite-mtls
              reloadSeconds: 30
            """);

        Assert.Empty(rendered.Certificates);
        foreach (var component in Components)
        {
            AssertMountsTlsFiles(rendered, component, "ragsuite-mtls");
            Assert.Equal("30", rendered.ConfigMap(component).Data["RagSuite__ServiceTls__ReloadSeconds"]);
            AssertProbesAreHttp(rendered.Pod(component));
        }
    }

    [ChartRendererTheory]
    [InlineData("tls: {enabled: true}", "tls.certManager.issuerRef.name")]
    [InlineData("tls: {enabled: true, source: existingSecret}", "tls.existingSecret")]
    public async Task Tls_without_a_source_of_certificates_fails_the_render_naming_the_value(string overlay, string expected)
    {
        using var directory = new TemporaryDirectory("ragsuite-values");
        var file = Path.Combine(directory.Path, "tls.yaml");
        await File.WriteAllTextAsync(file, overlay + "\n");

        var (code, _, error) = await renderer.RenderAsync(ChartRenderer.Chart, strict: true, file);

        Assert.NotEqual(0, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static void AssertMountsTlsFiles(Rendered rendered, string component, string secretName)
    {
        var pod = rendered.Pod(component);
        var volume = Assert.Single(pod.Volumes, v => v.Name == "service-tls");
        Assert.Equal(secretName, volume.Secret.SecretName);
        Assert.Equal(["tls.crt", "tls.key", "ca.crt"], volume.Secret.Items.Select(i => i.Key));
        Assert.Equal(volume.Secret.Items.Select(i => i.Key), volume.Secret.Items.Select(i => i.Path));
        var container = Assert.Single(pod.Containers);
        // A whole-directory mount: kubelet updates a Secret's files in place only without subPath, so renewals arrive.
        var mount = Assert.Single(container.VolumeMounts, m => m.Name == "service-tls");
        Assert.Equal((TlsDirectory, true, null), (mount.MountPath, mount.ReadOnlyProperty ?? false, mount.SubPath));

        var settings = rendered.ConfigMap(component).Data;
        Assert.Equal("true", settings["RagSuite__ServiceTls__Enabled"]);
        Assert.Equal($"{TlsDirectory}/tls.crt", settings["RagSuite__ServiceTls__CertificateFile"]);
        Assert.Equal($"{TlsDirectory}/tls.key", settings["RagSuite__ServiceTls__KeyFile"]);
        Assert.Equal($"{TlsDirectory}/ca.crt", settings["RagSuite__ServiceTls__CaFile"]);
    }

    private static void AssertProbesAreHttp(V1PodSpec pod)
    {
        var container = Assert.Single(pod.Containers);
        foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe })
        {
            Assert.Null(probe.Grpc);
            Assert.Equal("http", probe.HttpGet.Port.Value);
        }
    }

    private async Task<Rendered> RenderAsync(string values, string? overlay = null)
    {
        using var directory = new TemporaryDirectory("ragsuite-values");
        List<string> files = [Path.Combine(ChartRenderer.Chart, values)];
        if (overlay is not null)
        {
            files.Add(Path.Combine(directory.Path, "overlay.yaml"));
            await File.WriteAllTextAsync(files[^1], overlay + "\n");
        }
        var (code, output, error) = await renderer.RenderAsync(ChartRenderer.Chart, strict: true, [.. files]);
        Assert.True(code == 0, error);
        return new Rendered(output);
    }

    /// <summary>The rendered objects this test reads, each parsed strictly into its Kubernetes (or cert-manager) type.</summary>
    private sealed partial class Rendered
    {
        private readonly List<V1ConfigMap> _configMaps = [];
        private readonly List<(string Component, V1PodSpec Pod)> _pods = [];

        public Rendered(string output)
        {
            foreach (var document in output.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries))
            {
                switch (KindPattern().Match(document).Groups[1].Value)
                {
                    case "ConfigMap":
                        _configMaps.Add(KubernetesYaml.Deserialize<V1ConfigMap>(document, strict: true));
                        break;
                    case "Deployment":
                        var deployment = KubernetesYaml.Deserialize<V1Deployment>(document, strict: true);
                        _pods.Add((deployment.Metadata.Labels["app.kubernetes.io/component"], deployment.Spec.Template.Spec));
                        break;
                    case "StatefulSet":
                        var statefulSet = KubernetesYaml.Deserialize<V1StatefulSet>(document, strict: true);
                        _pods.Add((statefulSet.Metadata.Labels["app.kubernetes.io/component"], statefulSet.Spec.Template.Spec));
                        break;
                    case "Certificate":
                        Certificates.Add(KubernetesYaml.Deserialize<Certificate>(document, strict: true));
                        break;
                }
            }
        }

        public List<Certificate> Certificates { get; } = [];

        public V1ConfigMap ConfigMap(string component) => Assert.Single(_configMaps, c => c.Metadata.Name == $"ragsuite-{component}");

        public V1PodSpec Pod(string component) => Assert.Single(_pods, p => p.Component == component).Pod;

        [GeneratedRegex("^kind: (\\S+)$", RegexOptions.Multiline)]
        private static partial Regex KindPattern();
    }

    /// <summary>cert-manager.io/v1 Certificate, the fields the chart may set (strict parsing rejects any other).</summary>
    private sealed class Certificate
    {
        public string ApiVersion { get; set; } = "";
        public string Kind { get; set; } = "";
        public V1ObjectMeta Metadata { get; set; } = new();
        public CertificateSpec Spec { get; set; } = new();
    }

    private sealed class CertificateSpec
    {
        public string SecretName { get; set; } = "";
        public SecretTemplate? SecretTemplate { get; set; }
        public string? CommonName { get; set; }
        public List<string> DnsNames { get; set; } = [];
        public string? Duration { get; set; }
        public string? RenewBefore { get; set; }
        public PrivateKey PrivateKey { get; set; } = new();
        public List<string> Usages { get; set; } = [];
        public IssuerReference IssuerRef { get; set; } = new();
    }

    private sealed class SecretTemplate
    {
        public Dictionary<string, string> Labels { get; set; } = [];
        public Dictionary<string, string> Annotations { get; set; } = [];
    }

    private sealed class PrivateKey
    {
        public string Algorithm { get; set; } = "";
        public int Size { get; set; }
        public string RotationPolicy { get; set; } = "";
    }

    private sealed class IssuerReference
    {
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Group { get; set; } = "";
    }
}
