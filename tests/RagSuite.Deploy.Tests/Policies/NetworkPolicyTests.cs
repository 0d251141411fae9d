using System.Text.Json.Nodes;

namespace RagSuite.Deploy.Tests.Policies;

/// <summary>
/// The NetworkPolicies select pods the chart (or Qdrant's chart) really runs, admit only peers whose labels real pods carry,
/// leave no long-running pod unprotected, and let traffic from anywhere reach the gateway alone.
/// </summary>
public sealed class NetworkPolicyTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    public static TheoryData<string, string?> Scenarios => PolicyScenarios.All;

    /// <summary>Ports that serve calls, never metrics: the services' gRPC port, Qdrant's gRPC and cluster ports.</summary>
    private static readonly string[] CallPorts = ["8081", "6334", "6335"];

    [ChartRendererTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Every_policy_selects_running_pods_and_every_pod_peer_matches_a_running_pod(string values, string? overrides)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values, overrides);
        IReadOnlyList<RenderedPod> pods = [.. chart.Pods, .. PolicyScenarios.ExternalPods(chart)];

        var policies = chart.OfKind("NetworkPolicy").ToList();

        Assert.NotEmpty(policies);
        Assert.All(policies, policy =>
        {
            var name = ChartObjects.Name(policy);
            var selected = pods.Where(p => p.SelectedBy(policy["spec"]!["podSelector"])).ToList();
            Assert.True(selected.Count > 0, $"NetworkPolicy {name} selects no pod the chart runs");
            Assert.True(policy["spec"]!["podSelector"]!["matchLabels"]?.AsObject().Count > 0, $"NetworkPolicy {name} selects every pod in the namespace");
            foreach (var peer in Peers(policy).Where(p => p["podSelector"] is not null && p["namespaceSelector"] is null))
            {
                Assert.True(pods.Any(p => p.SelectedBy(peer["podSelector"])),
                    $"NetworkPolicy {name} admits {peer.ToJsonString()}, which no pod the chart runs matches");
            }
        });
    }

    [ChartRendererTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Every_long_running_pod_is_selected_by_a_policy(string values, string? overrides)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values, overrides);
        var selectors = chart.OfKind("NetworkPolicy").Select(p => p["spec"]!["podSelector"]).ToList();

        Assert.All(chart.Pods.Where(p => p.LongRunning), pod =>
            Assert.True(selectors.Any(pod.SelectedBy), $"{pod.Owner} is selected by no NetworkPolicy, so it admits everything"));
    }

    [ChartRendererTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Only_the_gateway_admits_traffic_from_outside_the_release(string values, string? overrides)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values, overrides);
        IReadOnlyList<RenderedPod> pods = [.. chart.Pods, .. PolicyScenarios.ExternalPods(chart)];
        var prometheus = MetricsPeer;

        foreach (var policy in chart.OfKind("NetworkPolicy"))
        {
            var name = ChartObjects.Name(policy);
            var components = pods.Where(p => p.SelectedBy(policy["spec"]!["podSelector"])).Select(p => p.Component).Distinct().ToList();
            if (components.SequenceEqual(["gateway"])) continue;
            foreach (var rule in policy["spec"]!["ingress"]!.AsArray())
            {
                var from = rule!["from"]?.AsArray();
                Assert.True(from is { Count: > 0 }, $"NetworkPolicy {name} ({string.Join(", ", components)}) has a rule admitting any source");
                foreach (var peer in from!)
                {
                    Assert.Null(peer!["ipBlock"]);
                    if (peer["namespaceSelector"] is null) continue;
                    // Only Prometheus comes from another namespace, and only to scrape metrics.
                    Assert.True(JsonNode.DeepEquals(peer, prometheus), $"NetworkPolicy {name} admits {peer.ToJsonString()} from another namespace");
                    var ports = rule["ports"]!.AsArray().Select(p => p!["port"]!.ToString()).ToList();
                    Assert.True(ports.Count == 1 && !CallPorts.Contains(ports[0]),
                        $"NetworkPolicy {name} admits Prometheus on {string.Join(", ", ports)}, not only the metrics port");
                }
            }
        }
    }

    [ChartRendererTheory]
    [InlineData(null, "embedder", 8081, "gateway")]
    [InlineData(null, "retriever", 8081, "gateway")]
    [InlineData(null, "reranker", 8081, "gateway")]
    [InlineData(null, "generator", 8081, "gateway")]
    [InlineData("generator: {grounding: {embedder: true}}", "embedder", 8081, "gateway,generator")]
    [InlineData("generator: {extraEnv: [{name: RagSuite__Services__Embedder__Address, value: 'dns:///e:8081'}]}", "embedder", 8081, "gateway,generator")]
    [InlineData("generator: {grounding: {embedder: true}}", "generator", 8081, "gateway")]
    [InlineData("vllm: {enabled: true, model: Qwen/Qwen2.5-7B-Instruct}", "vllm", 8000, "generator")]
    [InlineData("vllm: {enabled: true, model: Qwen/Qwen2.5-7B-Instruct, port: 8123}", "vllm", 8123, "generator")]
    [InlineData("retriever: {store: qdrant}", "qdrant", 6333, "retriever")]
    [InlineData("retriever: {store: qdrant}", "qdrant", 6334, "retriever")]
    public async Task Each_service_admits_exactly_its_callers_on_its_port(string? overrides, string service, int port, string callers)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values.yaml", overrides);
        var policy = Assert.Single(chart.OfKind("NetworkPolicy"), p => ChartObjects.Name(p) == $"ragsuite-{service}");

        var admitted = policy["spec"]!["ingress"]!.AsArray()
            .Where(r => r!["ports"]!.AsArray().Any(p => p!["port"]!.ToString() == port.ToString()))
            .SelectMany(r => r!["from"]!.AsArray())
            .Where(peer => peer!["namespaceSelector"] is null)
            .Select(peer => peer!["podSelector"]!["matchLabels"]!["app.kubernetes.io/component"]!.ToString())
            .Order();

        Assert.Equal(callers.Split(',').Order(), admitted);
    }

    [ChartRendererTheory]
    [InlineData(6335, "qdrant")]
    public async Task Qdrant_peers_reach_each_other_on_the_cluster_port_and_nothing_else_does(int port, string instance)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values.yaml", "retriever: {store: qdrant}");
        var policy = Assert.Single(chart.OfKind("NetworkPolicy"), p => ChartObjects.Name(p) == "ragsuite-qdrant");

        var rule = Assert.Single(policy["spec"]!["ingress"]!.AsArray(), r => r!["ports"]!.AsArray().Any(p => p!["port"]!.GetValue<long>() == port));
        var peer = Assert.Single(rule!["from"]!.AsArray());

        Assert.Equal(instance, peer!["podSelector"]!["matchLabels"]!["app.kubernetes.io/instance"]!.ToString());
        Assert.Equal("qdrant", peer["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.ToString());
        Assert.True(JsonNode.DeepEquals(policy["spec"]!["podSelector"], peer["podSelector"]));
    }

    [ChartRendererTheory]
    [InlineData(null, true)]
    [InlineData("networkPolicy: {gatewayFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]}", false)]
    public async Task The_gateway_admits_anyone_unless_gatewayFrom_narrows_it_to_those_the_release_and_Prometheus(string? overrides, bool open)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values.yaml", overrides);
        var policy = Assert.Single(chart.OfKind("NetworkPolicy"), p => ChartObjects.Name(p) == "ragsuite-gateway");
        var rule = Assert.Single(policy["spec"]!["ingress"]!.AsArray());

        Assert.Equal(8080, rule!["ports"]![0]!["port"]!.GetValue<long>());
        if (open)
        {
            Assert.Null(rule["from"]);
            return;
        }
        var from = rule["from"]!.AsArray();
        Assert.Equal(3, from.Count);
        Assert.Equal("ingress-nginx", from[0]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.ToString());
        // Every pod of the release (helm test, the Argo CD smoke test), not one component.
        var release = from[1]!["podSelector"]!["matchLabels"]!.AsObject();
        Assert.Equal(["app.kubernetes.io/instance", "app.kubernetes.io/name"], release.Select(l => l.Key).Order());
        Assert.True(JsonNode.DeepEquals(MetricsPeer, from[2]));
    }

    [ChartRendererTheory]
    [InlineData("networkPolicy: {enabled: false}")]
    public async Task No_policy_is_rendered_when_they_are_off(string overrides)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values-prod.yaml", overrides + "\nretriever: {store: qdrant}");

        Assert.Empty(chart.OfKind("NetworkPolicy"));
    }

    private static IEnumerable<JsonNode> Peers(JsonObject policy) =>
        policy["spec"]!["ingress"]!.AsArray().SelectMany(r => r!["from"]?.AsArray() ?? []).Select(p => p!);

    /// <summary>The chart's default Prometheus peer: any pod in the namespace monitoring.</summary>
    private static JsonNode MetricsPeer =>
        JsonNode.Parse("""{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}, "podSelector": {}}""")!;
}
