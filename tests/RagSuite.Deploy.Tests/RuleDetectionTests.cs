using k8s;
using k8s.Models;
using RagSuite.Deploy.Tests.Manifests;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// Each rule in <see cref="ManifestRules"/> catches the defect it is for: the default render, with one object broken
/// the way a template edit could break it, yields a violation naming the object and the fault.
/// </summary>
[Collection(RenderedChartGroup.Name)]
public sealed class RuleDetectionTests(RenderedCharts charts)
{
    private sealed record Defect(Func<RenderedChart, IEnumerable<string>> Rule, Action<List<object>> Break, string Expected);

    private static readonly Dictionary<string, Defect> Defects = new()
    {
        ["a container without a memory limit"] = new(ManifestRules.Resources,
            o => Container<V1Deployment>(o, "ragsuite-gateway").Resources.Limits.Remove("memory"),
            "Deployment/ragsuite-gateway container gateway lacks a memory limit"),
        ["an init container without resources"] = new(ManifestRules.Resources,
            o => Workload<V1Deployment>(o, "ragsuite-embedder").Spec.Template.Spec.InitContainers =
                [new V1Container { Name = "models", Image = "ragsuite/embedder:0.1.0" }],
            "Deployment/ragsuite-embedder init container models lacks a cpu request"),
        ["a Deployment without a readiness probe"] = new(ManifestRules.Probes,
            o => Container<V1Deployment>(o, "ragsuite-generator").ReadinessProbe = null,
            "Deployment/ragsuite-generator container generator has no readiness probe"),
        ["a probe on a port the container does not declare"] = new(ManifestRules.Probes,
            o => Container<V1StatefulSet>(o, "ragsuite-retriever").LivenessProbe.HttpGet.Port = "metrics",
            "liveness probe uses port metrics"),
        ["a container running as root"] = new(ManifestRules.SecurityContexts,
            o => Container<V1Deployment>(o, "ragsuite-reranker").SecurityContext.RunAsUser = 0,
            "Deployment/ragsuite-reranker container reranker (ragsuite/embedder:0.1.0) lacks runAsNonRoot"),
        ["a writable root filesystem"] = new(ManifestRules.SecurityContexts,
            o => Container<V1Deployment>(o, "ragsuite-gateway").SecurityContext.ReadOnlyRootFilesystem = false,
            "lacks readOnlyRootFilesystem"),
        ["an added capability"] = new(ManifestRules.SecurityContexts,
            o => Container<V1Deployment>(o, "ragsuite-gateway").SecurityContext.Capabilities.Add = ["NET_ADMIN"],
            "lacks capabilities drop ALL"),
        ["privilege escalation allowed"] = new(ManifestRules.SecurityContexts,
            o => Container<V1Deployment>(o, "ragsuite-gateway").SecurityContext.AllowPrivilegeEscalation = true,
            "lacks allowPrivilegeEscalation: false"),
        ["an unconfined seccomp profile"] = new(ManifestRules.SecurityContexts,
            o => Workload<V1Deployment>(o, "ragsuite-embedder").Spec.Template.Spec.SecurityContext.SeccompProfile.Type = "Unconfined",
            "lacks seccomp RuntimeDefault"),
        ["a Service selecting no pod"] = new(ManifestRules.Services,
            o => Object<V1Service>(o, "ragsuite-gateway").Spec.Selector["app.kubernetes.io/component"] = "gatway",
            "Service/ragsuite-gateway selects no rendered pod"),
        ["a Service targeting an undeclared port"] = new(ManifestRules.Services,
            o => Object<V1Service>(o, "ragsuite-embedder-headless").Spec.Ports[0].TargetPort = "grpc-tls",
            "Service/ragsuite-embedder-headless port grpc targets grpc-tls, which Deployment/ragsuite-embedder does not declare"),
        ["a NetworkPolicy selecting no pod"] = new(ManifestRules.NetworkPolicies,
            o => o.Add(Policy("vectorstore", from: "gateway", port: "grpc")),
            "NetworkPolicy/test podSelector {app.kubernetes.io/name=ragsuite, app.kubernetes.io/component=vectorstore} selects no rendered pod"),
        ["a NetworkPolicy admitting a peer that does not exist"] = new(ManifestRules.NetworkPolicies,
            o => o.Add(Policy("retriever", from: "gateway-v2", port: "grpc")),
            "from peer podSelector {app.kubernetes.io/name=ragsuite, app.kubernetes.io/component=gateway-v2} matches no rendered pod"),
        ["a NetworkPolicy admitting a port no selected pod declares"] = new(ManifestRules.NetworkPolicies,
            o => o.Add(Policy("retriever", from: "gateway", port: "9090")),
            "NetworkPolicy/test admits port 9090"),
        ["a ConfigMap the chart does not render"] = new(ManifestRules.ConfigReferences,
            o => Container<V1Deployment>(o, "ragsuite-gateway").EnvFrom[0].ConfigMapRef.Name = "ragsuite-gateway-settings",
            "Deployment/ragsuite-gateway uses ConfigMap ragsuite-gateway-settings"),
        ["a Secret neither rendered nor named in values"] = new(ManifestRules.ConfigReferences,
            o => Workload<V1Deployment>(o, "ragsuite-generator").Spec.Template.Spec.Volumes.Add(
                new V1Volume { Name = "upstream", Secret = new V1SecretVolumeSource { SecretName = "llm-upstream-keys" } }),
            "Deployment/ragsuite-generator uses Secret llm-upstream-keys"),
        ["an API key in a ConfigMap"] = new(ManifestRules.SecretLookingLiterals,
            o => Object<V1ConfigMap>(o, "ragsuite-generator").Data["RagSuite__Generator__Upstreams__0__ApiKey"] = "sk-live-123",
            "ConfigMap/ragsuite-generator holds RagSuite__Generator__Upstreams__0__ApiKey as plain data"),
        ["a token as a literal env value"] = new(ManifestRules.SecretLookingLiterals,
            o => Container<V1Deployment>(o, "ragsuite-embedder").Env = [new V1EnvVar { Name = "HF_TOKEN", Value = "hf_abc" }],
            "container embedder sets HF_TOKEN as a literal value"),
        ["an HPA scaling a workload the chart does not render"] = new(ManifestRules.Autoscalers,
            o => o.Add(Autoscaler("ragsuite-vllm")),
            "HorizontalPodAutoscaler/test scales apps/v1 Deployment/ragsuite-vllm, which the chart does not render"),
        ["an HPA scaling a Deployment that sets replicas"] = new(ManifestRules.Autoscalers,
            o => o.Add(Autoscaler("ragsuite-gateway")),
            "scales Deployment/ragsuite-gateway, which also sets replicas"),
        ["a PodDisruptionBudget selecting no pod"] = new(ManifestRules.DisruptionBudgets,
            o => Object<V1PodDisruptionBudget>(o, "ragsuite-reranker").Spec.Selector.MatchLabels["app.kubernetes.io/instance"] = "other",
            "PodDisruptionBudget/ragsuite-reranker selector"),
    };

    public static TheoryData<string> DefectNames => [.. Defects.Keys];

    [ChartRendererTheory]
    [MemberData(nameof(DefectNames))]
    public async Task A_rule_reports_the_defect_it_is_for_naming_the_object(string defect)
    {
        var (rule, breakIt, expected) = Defects[defect];
        var chart = (await charts.GetAsync(ValuesCases.Defaults)).Reparsed();
        var objects = chart.Objects.ToList();
        Assert.DoesNotContain(rule(chart with { Objects = objects }), v => v.Contains(expected, StringComparison.Ordinal));

        breakIt(objects);

        var violations = rule(chart with { Objects = objects }).ToList();
        Assert.True(violations.Any(v => v.Contains(expected, StringComparison.Ordinal)),
            $"expected a violation containing \"{expected}\", got:\n{string.Join("\n", violations)}");
    }

    [ChartRendererFact]
    public async Task A_NetworkPolicy_may_name_Qdrant_from_its_own_chart_as_a_peer()
    {
        var chart = (await charts.GetAsync(ValuesCases.Defaults)).Reparsed();
        var policy = Policy("retriever", from: "gateway", port: "grpc");
        policy.Spec.Egress = [new V1NetworkPolicyEgressRule
        {
            To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/name"] = "qdrant", ["app.kubernetes.io/instance"] = "qdrant",
            } } }],
        }];

        Assert.Empty(ManifestRules.NetworkPolicies(chart with { Objects = [.. chart.Objects, policy] }));
    }

    [ChartRendererFact]
    public async Task The_GPU_rule_passes_encoders_that_request_a_GPU_and_names_one_that_does_not()
    {
        var chart = (await charts.GetAsync(ValuesCases.Defaults)).Reparsed();
        var objects = chart.Objects.ToList();
        foreach (var name in new[] { "ragsuite-embedder", "ragsuite-reranker" })
            Container<V1Deployment>(objects, name).Resources.Limits["nvidia.com/gpu"] = new ResourceQuantity("1");
        Assert.Empty(ManifestRules.GpuRequests(chart with { Objects = objects }));

        Container<V1Deployment>(objects, "ragsuite-reranker").Resources.Limits.Remove("nvidia.com/gpu");

        var violation = Assert.Single(ManifestRules.GpuRequests(chart with { Objects = objects }));
        Assert.StartsWith("Deployment/ragsuite-reranker container reranker does not request nvidia.com/gpu", violation, StringComparison.Ordinal);
    }

    private static T Object<T>(List<object> objects, string name) where T : IKubernetesObject<V1ObjectMeta> =>
        objects.OfType<T>().Single(o => o.Metadata.Name == name);

    private static T Workload<T>(List<object> objects, string name) where T : IKubernetesObject<V1ObjectMeta> => Object<T>(objects, name);

    private static V1Container Container<T>(List<object> objects, string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Object<T>(objects, name) switch
        {
            V1Deployment d => d.Spec.Template.Spec.Containers[0],
            V1StatefulSet s => s.Spec.Template.Spec.Containers[0],
            _ => throw new ArgumentException(name, nameof(name)),
        };

    private static V1NetworkPolicy Policy(string component, string from, string port) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = "test" },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = Selector(component),
            PolicyTypes = ["Ingress"],
            Ingress = [new V1NetworkPolicyIngressRule
            {
                FromProperty = [new V1NetworkPolicyPeer { PodSelector = Selector(from) }],
                Ports = [new V1NetworkPolicyPort { Port = port, Protocol = "TCP" }],
            }],
        },
    };

    private static V1LabelSelector Selector(string component) => new()
    {
        MatchLabels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ragsuite", ["app.kubernetes.io/component"] = component },
    };

    private static V2HorizontalPodAutoscaler Autoscaler(string deployment) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta { Name = "test" },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment },
            MinReplicas = 2,
            MaxReplicas = 4,
        },
    };
}
