using System.Text.Json.Nodes;

namespace RagSuite.Deploy.Tests.Policies;

/// <summary>
/// Probes hit the endpoints the code means them for, readiness waits longer than the gateway's readiness check, and every
/// dns:/// address the chart configures names a headless Service of ready pods, re-resolved on the configured interval.
/// </summary>
public sealed class ProbesAndBalancingTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    private static readonly string[] Services = ["embedder", "retriever", "reranker", "generator"];

    [ChartRendererTheory]
    [InlineData("values.yaml", false)]
    [InlineData("values-prod.yaml", false)]
    [InlineData("values-prod.yaml", true)]
    public async Task Startup_and_liveness_ask_healthz_and_readiness_asks_readyz_or_the_grpc_health_service(string values, bool grpc)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values, $"probes: {{grpc: {grpc.ToString().ToLowerInvariant()}}}");

        foreach (var component in Services.Append("gateway"))
        {
            var container = Container(chart, component);
            Assert.Equal("/healthz", container["startupProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            var readiness = container["readinessProbe"]!;
            if (grpc && component != "gateway")
            {
                Assert.Equal(8081, readiness["grpc"]!["port"]!.GetValue<long>());
                Assert.Null(readiness["httpGet"]);
            }
            else
            {
                Assert.Equal("/readyz", readiness["httpGet"]!["path"]!.GetValue<string>());
            }
            // The gateway's readiness check gives each service 5 s; a probe cut shorter would fail a merely degraded gateway.
            Assert.True(readiness["timeoutSeconds"]!.GetValue<long>() > 5, $"{component}'s readiness probe times out within the gateway's 5 s patience");
        }
    }

    [ChartRendererTheory]
    [InlineData("values.yaml", null, "00:00:05")]
    [InlineData("values-prod.yaml", null, "00:00:05")]
    [InlineData("values.yaml", "gateway: {dnsRefreshInterval: \"00:00:02\"}", "00:00:02")]
    [InlineData("values.yaml", "gateway: {dnsRefreshInterval: \"00:00:10\"}\ngenerator: {grounding: {embedder: true}}", "00:00:10")]
    public async Task Every_dns_address_names_a_headless_Service_of_ready_pods_and_is_resolved_again_on_the_interval(
        string values, string? overrides, string interval)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values, overrides);
        var headless = chart.OfKind("Service").Where(s => s["spec"]!["clusterIP"]?.GetValue<string>() == "None").ToList();

        var clients = chart.OfKind("ConfigMap").Where(c => c["data"]!.AsObject().Any(d => d.Value!.ToString().StartsWith("dns:///", StringComparison.Ordinal))).ToList();

        Assert.Contains(clients, c => ChartObjects.Name(c) == "ragsuite-gateway");
        Assert.All(clients, client =>
        {
            var data = client["data"]!.AsObject();
            Assert.Equal(interval, data["RagSuite__Services__DnsRefreshInterval"]!.GetValue<string>());
            foreach (var (key, value) in data.Where(d => d.Value!.ToString().StartsWith("dns:///", StringComparison.Ordinal)))
            {
                var hostPort = value!.ToString()["dns:///".Length..];
                var host = hostPort[..hostPort.IndexOf(':')];
                var port = long.Parse(hostPort[(hostPort.IndexOf(':') + 1)..]);
                var service = Assert.Single(headless, s => host == $"{ChartObjects.Name(s)}.ragsuite.svc.cluster.local");
                Assert.False(service["spec"]!["publishNotReadyAddresses"]!.GetValue<bool>(), $"{ChartObjects.Name(service)} publishes pods that are not ready");
                Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => p!["port"]!.GetValue<long>() == port && p["name"]!.GetValue<string>() == "grpc");
                Assert.Contains(chart.Pods, p => p.LongRunning && RenderedPod.Matches(new JsonObject { ["matchLabels"] = service["spec"]!["selector"]!.DeepClone() }, p.Labels));
                Assert.True(key.EndsWith("__Address", StringComparison.Ordinal), key);
            }
        });
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task Every_gRPC_backend_has_a_headless_Service_on_its_grpc_port(string values)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values);

        Assert.All(Services, component => Assert.Contains(chart.OfKind("Service"), s =>
            ChartObjects.Name(s) == $"ragsuite-{component}-headless"
            && s["spec"]!["clusterIP"]!.GetValue<string>() == "None"
            && s["spec"]!["selector"]!["app.kubernetes.io/component"]!.GetValue<string>() == component
            && s["spec"]!["ports"]!.AsArray().Any(p => p!["name"]!.GetValue<string>() == "grpc" && p["port"]!.GetValue<long>() == 8081)));
    }

    [ChartRendererTheory]
    [InlineData("values.yaml", "00:02:30")]
    [InlineData("values-prod.yaml", "00:02:30")]
    public async Task The_gateways_query_timeout_leaves_the_generator_its_whole_timeout(string values, string queryTimeout)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values);
        var data = Assert.Single(chart.OfKind("ConfigMap"), c => ChartObjects.Name(c) == "ragsuite-gateway")["data"]!;

        Assert.Equal(queryTimeout, data["RagSuite__Gateway__QueryTimeout"]!.GetValue<string>());
        Assert.True(TimeSpan.Parse(queryTimeout) > TimeSpan.Parse(data["RagSuite__Services__Generator__Timeout"]!.GetValue<string>()));
    }

    private static JsonNode Container(ChartObjects chart, string component) =>
        Assert.Single(chart.Pods, p => p.LongRunning && p.Component == component).Spec["containers"]!.AsArray()
            .Single(c => c!["name"]!.GetValue<string>() == component)!;
}
