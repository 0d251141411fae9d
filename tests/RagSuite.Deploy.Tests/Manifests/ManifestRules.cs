using System.Text.RegularExpressions;
using k8s.Models;
using RagSuite.Deploy.Tests.Crds;

namespace RagSuite.Deploy.Tests.Manifests;

/// <summary>
/// What every rendered manifest must satisfy to survive a real cluster. Each rule looks at every rendered object (not at
/// named templates), so it holds for whatever the chart grows, and returns its violations, each naming the object.
/// </summary>
public static partial class ManifestRules
{
    /// <summary>
    /// Pods of components deployed beside the chart by their own charts, which NetworkPolicies may name as peers:
    /// Qdrant, from Qdrant's official chart installed as release "qdrant" (deploy/README.md).
    /// </summary>
    public static IReadOnlyList<(string Component, IDictionary<string, string> Labels)> ExternalComponents { get; } =
    [
        ("qdrant", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "qdrant", ["app.kubernetes.io/instance"] = "qdrant" }),
    ];

    /// <summary>
    /// Containers exempt from one security-context requirement, each with the reason it cannot comply: (image repository,
    /// requirement, why). Empty: every image the chart runs complies, vLLM's included — it needs no root and no privilege,
    /// only writable cache directories (HOME, the Hugging Face and Triton caches), which the chart must give it as volumes.
    /// An entry here is a decision to review, not a default.
    /// </summary>
    public static IReadOnlyList<(string Image, string Requirement, string Why)> SecurityExemptions { get; } = [];

    public static IEnumerable<string> Resources(RenderedChart chart) =>
        from pod in PodTemplates.In(chart.Objects)
        from c in pod.Containers
        let requests = c.Container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>()
        let limits = c.Container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>()
        from missing in new[]
        {
            requests.ContainsKey("cpu") ? null : "a cpu request",
            requests.ContainsKey("memory") ? null : "a memory request",
            limits.ContainsKey("memory") ? null : "a memory limit",
        }
        where missing is not null
        select $"{pod.Owner} {Describe(c)} lacks {missing}";

    public static IEnumerable<string> Probes(RenderedChart chart)
    {
        foreach (var pod in PodTemplates.In(chart.Objects).Where(p => p.LongRunning))
        {
            foreach (var container in pod.Spec.Containers ?? [])
            {
                foreach (var (kind, probe) in new[] { ("startup", container.StartupProbe), ("liveness", container.LivenessProbe), ("readiness", container.ReadinessProbe) })
                {
                    if (probe is null)
                    {
                        yield return $"{pod.Owner} container {container.Name} has no {kind} probe";
                        continue;
                    }
                    IntOrString? port = probe.HttpGet?.Port ?? probe.TcpSocket?.Port ?? (probe.Grpc is { } g ? (IntOrString)g.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
                    if (port is { } p && !PodTemplates.HasPort(container, p))
                        yield return $"{pod.Owner} container {container.Name}'s {kind} probe uses port {p.Value}, which the container does not declare";
                }
            }
        }
    }

    public static IEnumerable<string> SecurityContexts(RenderedChart chart)
    {
        foreach (var pod in PodTemplates.In(chart.Objects))
        {
            var podContext = pod.Spec.SecurityContext;
            foreach (var c in pod.Containers)
            {
                var context = c.Container.SecurityContext;
                var checks = new (string Requirement, bool Met)[]
                {
                    ("runAsNonRoot", (context?.RunAsNonRoot ?? podContext?.RunAsNonRoot) == true
                        && (context?.RunAsUser ?? podContext?.RunAsUser) is not 0),
                    ("allowPrivilegeEscalation: false", context?.AllowPrivilegeEscalation == false),
                    ("privileged: false", context?.Privileged != true),
                    ("capabilities drop ALL", context?.Capabilities?.Drop?.Contains("ALL") == true && (context.Capabilities.Add ?? []).Count == 0),
                    ("readOnlyRootFilesystem", context?.ReadOnlyRootFilesystem == true),
                    ("seccomp RuntimeDefault", (context?.SeccompProfile ?? podContext?.SeccompProfile)?.Type is "RuntimeDefault" or "Localhost"),
                };
                foreach (var (requirement, met) in checks)
                {
                    if (met || SecurityExemptions.Any(e => c.Container.Image.Contains(e.Image, StringComparison.Ordinal) && e.Requirement == requirement)) continue;
                    yield return $"{pod.Owner} {Describe(c)} ({c.Container.Image}) lacks {requirement}";
                }
            }
        }
    }

    public static IEnumerable<string> Services(RenderedChart chart)
    {
        var pods = PodTemplates.In(chart.Objects).ToList();
        foreach (var service in chart.Objects.OfType<V1Service>())
        {
            var name = PodTemplates.NameOf(service);
            if (service.Spec.Type == "ExternalName") continue;
            var selected = pods.Where(p => service.Spec.Selector is { Count: > 0 } && PodTemplates.Matches(service.Spec.Selector, p.Labels)).ToList();
            if (selected.Count == 0)
            {
                yield return $"{name} selects no rendered pod (selector {Format(service.Spec.Selector)})";
                continue;
            }
            foreach (var port in service.Spec.Ports ?? [])
            {
                var target = port.TargetPort ?? (IntOrString)port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var without = selected.Where(p => !(p.Spec.Containers ?? []).Any(c => PodTemplates.HasPort(c, target))).Select(p => p.Owner).ToList();
                if (without.Count > 0) yield return $"{name} port {port.Name} targets {target.Value}, which {string.Join(", ", without)} does not declare";
            }
        }
    }

    public static IEnumerable<string> NetworkPolicies(RenderedChart chart)
    {
        var pods = PodTemplates.In(chart.Objects).ToList();
        foreach (var policy in chart.Objects.OfType<V1NetworkPolicy>())
        {
            var name = PodTemplates.NameOf(policy);
            var selected = pods.Where(p => PodTemplates.Matches(policy.Spec.PodSelector, p.Labels)).ToList();
            // A policy may protect a declared external component's pods (Qdrant's, in the release's namespace).
            if (selected.Count == 0 && !ExternalComponents.Any(e => PodTemplates.Matches(policy.Spec.PodSelector, e.Labels)))
                yield return $"{name} podSelector {Format(policy.Spec.PodSelector)} selects no rendered pod or declared external component";
            var peers = (policy.Spec.Ingress ?? []).SelectMany(r => (r.FromProperty ?? []).Select(p => ("from", p)))
                .Concat((policy.Spec.Egress ?? []).SelectMany(r => (r.To ?? []).Select(p => ("to", p))));
            foreach (var (direction, peer) in peers)
            {
                // A peer in other namespaces (namespaceSelector) or an address block cannot be checked against rendered pods.
                if (peer.PodSelector is null || peer.NamespaceSelector is not null) continue;
                if (pods.Any(p => PodTemplates.Matches(peer.PodSelector, p.Labels))) continue;
                if (ExternalComponents.Any(e => PodTemplates.Matches(peer.PodSelector, e.Labels))) continue;
                yield return $"{name} {direction} peer podSelector {Format(peer.PodSelector)} matches no rendered pod and no declared external component";
            }
            foreach (var port in (policy.Spec.Ingress ?? []).SelectMany(r => r.Ports ?? []).Where(p => p.Port is not null))
            {
                if (selected.Count > 0 && !selected.Any(p => (p.Spec.Containers ?? []).Any(c => PodTemplates.HasPort(c, port.Port!))))
                    yield return $"{name} admits port {port.Port!.Value}, which no pod it selects declares";
            }
        }
    }

    public static IEnumerable<string> ConfigReferences(RenderedChart chart)
    {
        var configMaps = chart.Objects.OfType<V1ConfigMap>().Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var secrets = chart.Objects.OfType<V1Secret>().Select(s => s.Metadata.Name)
            .Concat(chart.Objects.OfType<ExternalSecret>().Select(e => e.TargetSecretName))
            .Concat(chart.Objects.OfType<Certificate>().Select(c => c.Spec?.SecretName).OfType<string>())
            .Concat(chart.SecretsNamedInValues)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var pod in PodTemplates.In(chart.Objects))
        {
            foreach (var (kind, name, optional) in References(pod).Distinct())
            {
                if (optional == true || (kind == "ConfigMap" ? configMaps : secrets).Contains(name)) continue;
                yield return kind == "ConfigMap"
                    ? $"{pod.Owner} uses ConfigMap {name}, which the chart does not render"
                    : $"{pod.Owner} uses Secret {name}, which is neither rendered (Secret, ExternalSecret target, Certificate) nor named in values";
            }
        }
    }

    private static IEnumerable<(string Kind, string Name, bool? Optional)> References(PodTemplate pod)
    {
        foreach (var (container, _) in pod.Containers)
        {
            foreach (var from in container.EnvFrom ?? [])
            {
                if (from.ConfigMapRef is { } c) yield return ("ConfigMap", c.Name, c.Optional);
                if (from.SecretRef is { } s) yield return ("Secret", s.Name, s.Optional);
            }
            foreach (var env in container.Env ?? [])
            {
                if (env.ValueFrom?.ConfigMapKeyRef is { } c) yield return ("ConfigMap", c.Name, c.Optional);
                if (env.ValueFrom?.SecretKeyRef is { } s) yield return ("Secret", s.Name, s.Optional);
            }
        }
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            if (volume.ConfigMap is { } c) yield return ("ConfigMap", c.Name, c.Optional);
            if (volume.Secret is { } s) yield return ("Secret", s.SecretName, s.Optional);
            foreach (var source in volume.Projected?.Sources ?? [])
            {
                if (source.ConfigMap is { } pc) yield return ("ConfigMap", pc.Name, pc.Optional);
                if (source.Secret is { } ps) yield return ("Secret", ps.Name, ps.Optional);
            }
        }
    }

    /// <summary>A ConfigMap entry or a literal env value whose name says it holds a key, token, password or secret.</summary>
    public static IEnumerable<string> SecretLookingLiterals(RenderedChart chart)
    {
        foreach (var map in chart.Objects.OfType<V1ConfigMap>())
        {
            foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
            {
                if (SecretLooking(key) && !string.IsNullOrEmpty(value)) yield return $"{PodTemplates.NameOf(map)} holds {key} as plain data";
            }
        }
        foreach (var pod in PodTemplates.In(chart.Objects))
        {
            foreach (var (container, _) in pod.Containers)
            {
                foreach (var env in container.Env ?? [])
                {
                    if (SecretLooking(env.Name) && !string.IsNullOrEmpty(env.Value)) yield return $"{pod.Owner} container {container.Name} sets {env.Name} as a literal value";
                }
            }
        }
    }

    /// <summary>
    /// The last segment of a setting's name (after "__" or ".", .NET configuration's separators) ends in KEY, TOKEN,
    /// PASSWORD, SECRET or CREDENTIAL(S): OPENAI_API_KEY, RagSuite__Qdrant__ApiKey. A file path to one
    /// (RagSuite__Qdrant__ApiKeyFile) or a count (MaxBatchTokens) is not.
    /// </summary>
    public static bool SecretLooking(string name) => SecretName().IsMatch(name.Split(["__", "."], StringSplitOptions.None)[^1]);

    [GeneratedRegex("(?i)(key|token|password|passwd|secret|credentials?)$")]
    private static partial Regex SecretName();

    public static IEnumerable<string> Autoscalers(RenderedChart chart)
    {
        foreach (var hpa in chart.Objects.OfType<V2HorizontalPodAutoscaler>())
        {
            var target = hpa.Spec.ScaleTargetRef;
            var workload = chart.Objects.FirstOrDefault(o => o is V1Deployment or V1StatefulSet
                && PodTemplates.NameOf(o) == $"{target.Kind}/{target.Name}"
                && target.ApiVersion == "apps/v1");
            if (workload is null)
                yield return $"{PodTemplates.NameOf(hpa)} scales {target.ApiVersion} {target.Kind}/{target.Name}, which the chart does not render";
            else if ((workload as V1Deployment)?.Spec.Replicas is not null || (workload as V1StatefulSet)?.Spec.Replicas is not null)
                yield return $"{PodTemplates.NameOf(hpa)} scales {PodTemplates.NameOf(workload)}, which also sets replicas (every sync would undo the HPA)";
            if (hpa.Spec.MinReplicas > hpa.Spec.MaxReplicas)
                yield return $"{PodTemplates.NameOf(hpa)} has minReplicas {hpa.Spec.MinReplicas} above maxReplicas {hpa.Spec.MaxReplicas}";
        }
    }

    public static IEnumerable<string> DisruptionBudgets(RenderedChart chart)
    {
        var pods = PodTemplates.In(chart.Objects).ToList();
        return chart.Objects.OfType<V1PodDisruptionBudget>()
            .Where(pdb => !pods.Any(p => p.LongRunning && PodTemplates.Matches(pdb.Spec.Selector, p.Labels)))
            .Select(pdb => $"{PodTemplates.NameOf(pdb)} selector {Format(pdb.Spec.Selector)} selects no rendered workload's pods");
    }

    /// <summary>In prod the encoders run on GPUs: each embedder and reranker container asks for at least one nvidia.com/gpu.</summary>
    public static IEnumerable<string> GpuRequests(RenderedChart chart)
    {
        foreach (var component in new[] { "embedder", "reranker" })
        {
            var pods = PodTemplates.In(chart.Objects)
                .Where(p => p.LongRunning && p.Labels.TryGetValue("app.kubernetes.io/component", out var c) && c == component).ToList();
            if (pods.Count == 0) yield return $"no {component} workload is rendered";
            foreach (var pod in pods)
            {
                var main = (pod.Spec.Containers ?? []).FirstOrDefault(c => c.Name == component) ?? pod.Spec.Containers?.FirstOrDefault();
                var limits = main?.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
                if (!limits.TryGetValue("nvidia.com/gpu", out var gpus) || gpus.ToDecimal() < 1)
                    yield return $"{pod.Owner} container {main?.Name} does not request nvidia.com/gpu (limits: {string.Join(", ", limits.Keys)})";
            }
        }
    }

    private static string Describe((V1Container Container, bool Init) c) => $"{(c.Init ? "init container" : "container")} {c.Container.Name}";

    private static string Format(IDictionary<string, string>? labels) =>
        labels is null ? "(none)" : "{" + string.Join(", ", labels.Select(p => $"{p.Key}={p.Value}")) + "}";

    private static string Format(V1LabelSelector? selector) =>
        selector is null ? "(none)"
        : Format(selector.MatchLabels ?? new Dictionary<string, string>())
          + string.Concat((selector.MatchExpressions ?? []).Select(e => $" {e.Key} {e.OperatorProperty} [{string.Join(",", e.Values ?? [])}]"));
}
