namespace RagSuite.Deploy.Tests.Policies;

/// <summary>
/// The Ingress and the HTTPRoute follow the gateway's own limits: no buffering of streamed answers, the gateway's body
/// limit, and timeouts past the longest the gateway itself may take (its query timeout or the generator's, plus 30 s).
/// </summary>
public sealed class EdgeLimitsTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    private const string Nginx = "nginx.ingress.kubernetes.io/";

    [ChartRendererTheory]
    [InlineData(33554432, "00:02:00", "00:02:30", "32m", 180)]
    [InlineData(1048576, "00:05:00", "00:01:00", "1m", 330)]
    [InlineData(10240, "00:00:30", "00:00:45.5", "10k", 76)]
    [InlineData(1500000, "00:00:30", "01:00:00", "1500000", 3630)]
    [InlineData(33554432, "1.00:00:00", "00:00:08", "32m", 86430)]
    public async Task Nginx_annotations_follow_the_body_limit_and_the_longest_gateway_timeout(
        long maxRequestBytes, string generatorTimeout, string queryTimeout, string bodySize, int timeoutSeconds)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values.yaml", $$"""
            gateway:
              config:
                maxRequestBytes: {{maxRequestBytes}}
                queryTimeout: "{{queryTimeout}}"
              services:
                generator: {address: "", timeout: "{{generatorTimeout}}", maxAttempts: 1}
              ingress: {enabled: true, className: nginx}
            """);

        var annotations = Assert.Single(chart.OfKind("Ingress"))["metadata"]!["annotations"]!;

        Assert.Equal("off", annotations[Nginx + "proxy-buffering"]!.GetValue<string>());
        Assert.Equal(bodySize, annotations[Nginx + "proxy-body-size"]!.ToString());
        Assert.Equal(timeoutSeconds.ToString(), annotations[Nginx + "proxy-read-timeout"]!.GetValue<string>());
        Assert.Equal(timeoutSeconds.ToString(), annotations[Nginx + "proxy-send-timeout"]!.GetValue<string>());
    }

    [ChartRendererTheory]
    [InlineData("proxy-read-timeout", "600")]
    [InlineData("proxy-body-size", "64m")]
    [InlineData("proxy-buffering", "on")]
    public async Task The_users_annotations_win_over_the_derived_ones(string annotation, string value)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values.yaml", $$"""
            gateway:
              ingress:
                enabled: true
                annotations:
                  {{Nginx}}{{annotation}}: "{{value}}"
                  example.com/team: search
            """);

        var annotations = Assert.Single(chart.OfKind("Ingress"))["metadata"]!["annotations"]!.AsObject();

        Assert.Equal(value, annotations[Nginx + annotation]!.GetValue<string>());
        Assert.Equal("search", annotations["example.com/team"]!.GetValue<string>());
        Assert.Equal(5, annotations.Count);
    }

    [ChartRendererTheory]
    [InlineData("{}", 0)]
    [InlineData("{example.com/team: search}", 1)]
    public async Task Without_nginx_annotations_only_the_users_are_set(string annotations, int count)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values.yaml",
            $"gateway:\n  ingress:\n    enabled: true\n    nginxAnnotations: false\n    annotations: {annotations}\n");

        var rendered = Assert.Single(chart.OfKind("Ingress"))["metadata"]!["annotations"]?.AsObject();

        Assert.Equal(count, rendered?.Count ?? 0);
        Assert.DoesNotContain(rendered ?? [], a => a.Key.StartsWith(Nginx, StringComparison.Ordinal));
    }

    [ChartRendererTheory]
    [InlineData("", "00:02:00", "00:02:30", "180s")]
    [InlineData("", "00:10:00", "00:02:30", "630s")]
    [InlineData("15m", "00:02:00", "00:02:30", "15m")]
    public async Task The_HTTPRoute_sends_everything_to_the_gateway_with_a_request_timeout_past_its_own(
        string requestTimeout, string generatorTimeout, string queryTimeout, string expected)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values.yaml", $$"""
            gateway:
              config:
                queryTimeout: "{{queryTimeout}}"
              services:
                generator: {address: "", timeout: "{{generatorTimeout}}", maxAttempts: 1}
              httpRoute:
                enabled: true
                parentRefs: [{name: public, namespace: gateway-system, sectionName: https}]
                hostnames: [rag.example.com]
                requestTimeout: "{{requestTimeout}}"
            """);

        var route = Assert.Single(chart.OfKind("HTTPRoute"));
        var rule = Assert.Single(route["spec"]!["rules"]!.AsArray())!;
        var backend = Assert.Single(rule["backendRefs"]!.AsArray())!;
        var service = Assert.Single(chart.OfKind("Service"), s => ChartObjects.Name(s) == backend["name"]!.GetValue<string>());

        Assert.Equal("gateway.networking.k8s.io/v1", route["apiVersion"]!.GetValue<string>());
        Assert.Equal(expected, rule["timeouts"]!["request"]!.GetValue<string>());
        Assert.Equal("/", rule["matches"]![0]!["path"]!["value"]!.GetValue<string>());
        Assert.Equal("public", route["spec"]!["parentRefs"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("rag.example.com", route["spec"]!["hostnames"]![0]!.GetValue<string>());
        Assert.Equal("gateway", service["spec"]!["selector"]!["app.kubernetes.io/component"]!.GetValue<string>());
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => p!["port"]!.GetValue<long>() == backend["port"]!.GetValue<long>());
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task No_Ingress_or_HTTPRoute_is_rendered_unless_enabled(string values)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values);

        Assert.Empty(chart.OfKind("Ingress"));
        Assert.Empty(chart.OfKind("HTTPRoute"));
    }
}
