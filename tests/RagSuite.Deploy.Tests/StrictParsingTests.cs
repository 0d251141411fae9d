using k8s;
using k8s.Models;
using RagSuite.Deploy.Tests.Manifests;
using YamlDotNet.Core;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// Every rendered object, for every values case, and every Argo CD manifest parses strictly with KubernetesClient
/// (KubernetesYaml.LoadAllFromString(strict: true), with typed CRDs): a misspelt or invented field, or a value of the wrong
/// type, fails here instead of being dropped silently by the API server's or Argo CD's defaulting.
/// </summary>
[Collection(RenderedChartGroup.Name)]
public sealed class StrictParsingTests(RenderedCharts charts)
{
    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_rendered_object_parses_strictly_into_its_kubernetes_type(string values)
    {
        var chart = await charts.GetAsync(values);

        Assert.Equal(chart.Json.Count, chart.Objects.Count);
        Assert.All(chart.Objects, o =>
        {
            var k = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o);
            Assert.False(string.IsNullOrEmpty(k.Metadata?.Name), $"{k.Kind} without a name");
        });
    }

    [Fact]
    public void Every_argo_cd_manifest_parses_strictly_into_its_kubernetes_type()
    {
        var documents = ArgoCdManifests.PlainDocuments();

        Assert.NotEmpty(documents);
        Assert.All(documents.GroupBy(d => d.Source), file =>
            Assert.All(KubernetesManifests.LoadStrictJson(file.Select(d => d.Json)), o => Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o)));
    }

    [ChartRendererFact]
    public async Task Every_object_a_chart_under_argocd_renders_for_its_Application_parses_strictly()
    {
        var documents = await ArgoCdManifests.RenderedChartDocumentsAsync(charts.Renderer);

        Assert.All(documents.GroupBy(d => d.Source), chart =>
            Assert.All(KubernetesManifests.LoadStrictJson(chart.Select(d => d.Json)), o => Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o)));
    }

    public static TheoryData<string, string> BrokenManifests => new()
    {
        // Built-in kinds: a misspelt field, an unknown one, a wrong type.
        { "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          resource: {}\n", "resource" },
        { "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  selectors: {a: b}\n", "selectors" },
        { "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: two\n", "two" },
        { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, label: {a: b}}\n", "label" },
        // Each CRD type.
        { "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: x}\nspec:\n  endpoint: [{port: http}]\n", "endpoint" },
        { "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\nspec:\n  groups:\n    - name: g\n      rules:\n        - alert: A\n          expr: up == 0\n          severity: page\n", "severity" },
        { "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\nspec:\n  groups:\n    - name: g\n      partialResponseStrategy: warn\n", "partialResponseStrategy" },
        { "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: x}\nspec:\n  secretStore: {name: vault}\n", "secretStore" },
        { "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: x}\nspec:\n  dnsName: [a.example.com]\n", "dnsName" },
        { "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: x}\nspec:\n  rules:\n    - backendRef: [{name: gw, port: 8080}]\n", "backendRef" },
        { "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: x}\nspec:\n  sourceRepo: [https://example.com/r.git]\n", "sourceRepo" },
        { "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\nspec:\n  syncPolicy:\n    automated: {purne: true}\n", "purne" },
        { "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\nspec:\n  source: {repoUrl: https://example.com/r.git}\n", "repoUrl" },
        { "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: x}\nspec:\n  generator: []\n", "generator" },
        { "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: x}\nspec:\n  template:\n    metadata: {name: a, uid: u}\n", "uid" },
    };

    [Theory]
    [MemberData(nameof(BrokenManifests))]
    public void A_misspelt_unknown_or_mistyped_field_fails_strict_parsing_naming_it(string yaml, string field)
    {
        var error = Assert.ThrowsAny<YamlException>(() => KubernetesManifests.LoadStrict(yaml));

        Assert.Contains(field, error.Message + error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kind_with_no_type_fails_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KubernetesManifests.LoadStrict("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n"));

        Assert.Contains("example.com/v1/Widget", error.Message, StringComparison.Ordinal);
    }
}
