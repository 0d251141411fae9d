using System.Text.Json;
using RagSuite.Deploy.Tests.Manifests;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// A second schema check beside KubernetesClient's: every rendered object and every Argo CD manifest validated with the
/// npm kubernetes-models packages (Kubernetes, Argo CD, prometheus-operator, cert-manager, external-secrets, Gateway API)
/// by kubernetes-models/validate.mjs, which also rejects every field the schemas do not define (their validate() lets
/// unknown fields through).
/// </summary>
[Collection(RenderedChartGroup.Name)]
public sealed class KubernetesModelsTests(RenderedCharts charts)
{
    internal static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Deploy.Tests", "kubernetes-models");

    [KubernetesModelsTheory(needsChartRenderer: true)]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_rendered_object_passes_its_schema_with_no_field_the_schema_lacks(string values)
    {
        var chart = await charts.GetAsync(values);

        var results = await ValidateAsync(chart.Json);

        Assert.Equal(chart.Json.Count, results.Count);
        AssertValid(results);
    }

    [KubernetesModelsFact]
    public async Task Every_argo_cd_manifest_passes_its_schema_with_no_field_the_schema_lacks()
    {
        var documents = ArgoCdManifests.PlainDocuments();

        var results = await ValidateAsync(documents.Select(d => d.Json));

        Assert.NotEmpty(results);
        AssertValid(results);
    }

    [KubernetesModelsFact(needsChartRenderer: true)]
    public async Task Every_object_a_chart_under_argocd_renders_for_its_Application_passes_its_schema()
    {
        var documents = await ArgoCdManifests.RenderedChartDocumentsAsync(charts.Renderer);

        AssertValid(await ValidateAsync(documents.Select(d => d.Json)));
    }

    public static TheoryData<string, string> BrokenObjects => new()
    {
        // Unknown fields, at the top, deep in a pod template, and in each CRD package.
        { """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"date":{"a":"b"}}""", "/date: field not defined" },
        { """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"selector":{},"template":{"spec":{"containers":[{"name":"c","image":"i","resource":{}}]}}}}""", "/spec/template/spec/containers/0/resource: field not defined" },
        { """{"apiVersion":"v1","kind":"Service","metadata":{"name":"x","label":{}},"spec":{"ports":[{"port":80}]}}""", "/metadata/label: field not defined" },
        { """{"apiVersion":"monitoring.coreos.com/v1","kind":"ServiceMonitor","metadata":{"name":"x"},"spec":{"selector":{},"endpoints":[{"port":"http","intervall":"30s"}]}}""", "/spec/endpoints/0/intervall: field not defined" },
        { """{"apiVersion":"monitoring.coreos.com/v1","kind":"PrometheusRule","metadata":{"name":"x"},"spec":{"groups":[{"name":"g","rules":[{"alert":"A","expr":"up == 0","severity":"page"}]}]}}""", "/spec/groups/0/rules/0/severity: field not defined" },
        { """{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"x"},"spec":{"project":"p","destination":{},"source":{"repoURL":"r"},"syncPolicy":{"automated":{"purne":true}}}}""", "/spec/syncPolicy/automated/purne: field not defined" },
        { """{"apiVersion":"argoproj.io/v1alpha1","kind":"AppProject","metadata":{"name":"x"},"spec":{"sourceRepo":["r"]}}""", "/spec/sourceRepo: field not defined" },
        { """{"apiVersion":"external-secrets.io/v1beta1","kind":"ExternalSecret","metadata":{"name":"x"},"spec":{"secretStore":{"name":"v"}}}""", "/spec/secretStore: field not defined" },
        { """{"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"x"},"spec":{"secretName":"s","issuerRef":{"name":"i"},"dnsName":["a"]}}""", "/spec/dnsName: field not defined" },
        { """{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"x"},"spec":{"rules":[{"backendRef":[]}]}}""", "/spec/rules/0/backendRef: field not defined" },
        // Wrong types.
        { """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"replicas":"two","selector":{},"template":{}}}""", "/spec/replicas: must be integer" },
        { """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"a":1}}}""", "/metadata/labels/a: must be string" },
        { """{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"x"},"spec":{"project":"p","destination":{},"source":{"repoURL":"r"},"syncPolicy":{"automated":{"prune":"yes"}}}}""", "/spec/syncPolicy/automated/prune: must be boolean" },
        // Missing required fields.
        { """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"template":{}}}""", "/spec/selector: must have required property" },
        { """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"image":"i"}]}}""", "/spec/containers/0/name: must have required property" },
        { """{"apiVersion":"monitoring.coreos.com/v1","kind":"PrometheusRule","metadata":{"name":"x"},"spec":{"groups":[{"rules":[]}]}}""", "/spec/groups/0/name: must have required property" },
        { """{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"x"},"spec":{"source":{"repoURL":"r"}}}""", "/spec/destination: must have required property" },
        // A kind no package models.
        { """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"x"}}""", "no kubernetes-models model for apiVersion example.com/v1, kind Widget" },
    };

    [KubernetesModelsTheory]
    [MemberData(nameof(BrokenObjects))]
    public async Task A_broken_object_is_rejected_naming_the_path(string json, string expected)
    {
        var result = Assert.Single(await ValidateAsync([json]));

        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [KubernetesModelsFact]
    public async Task Open_maps_and_preserved_fields_are_not_reported()
    {
        var result = Assert.Single(await ValidateAsync(["""
            {"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"x","labels":{"any/label":"v"},"annotations":{"argocd.argoproj.io/sync-wave":"1"}},
             "spec":{"project":"p","destination":{"namespace":"n"},"source":{"repoURL":"r","helm":{"valuesObject":{"anything":{"nested":[1,2]}}}}}}
            """.ReplaceLineEndings(" ")]));

        Assert.Empty(result.Errors);
    }

    private sealed record Result(int Index, string? ApiVersion, string? Kind, string? Name, List<string> Errors);

    private static async Task<List<Result>> ValidateAsync(IEnumerable<string> objects)
    {
        var (code, output, error) = await ToolRun.RunAsync("node", Folder, ["validate.mjs"], input: string.Join("\n", objects) + "\n");
        Assert.True(code == 0, $"validate.mjs exited with {code}: {error}");
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<Result>(l, options)!)];
    }

    private static void AssertValid(IEnumerable<Result> results)
    {
        var failures = results.Where(r => r.Errors.Count > 0)
            .SelectMany(r => r.Errors.Select(e => $"{r.ApiVersion} {r.Kind}/{r.Name} {e}")).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}

/// <summary>Skips, saying how to get it, where node or the kubernetes-models packages (npm ci) are missing.</summary>
public sealed class KubernetesModelsFactAttribute : FactAttribute
{
    public KubernetesModelsFactAttribute(bool needsChartRenderer = false) => Skip = KubernetesModelsTheoryAttribute.Missing(needsChartRenderer);
}

/// <summary>Skips, saying how to get it, where node, the kubernetes-models packages or (if needed) chart-render's tools are missing.</summary>
public sealed class KubernetesModelsTheoryAttribute : TheoryAttribute
{
    public KubernetesModelsTheoryAttribute(bool needsChartRenderer = false) => Skip = Missing(needsChartRenderer);

    internal static string? Missing(bool needsChartRenderer) =>
        !ToolRun.OnPath("node") ? "node is not on PATH: install Node.js 20 or later (apt-get install nodejs npm)."
        : !Directory.Exists(Path.Combine(KubernetesModelsTests.Folder, "node_modules", "kubernetes-models"))
            ? "The kubernetes-models packages are not installed: run npm ci in tests/RagSuite.Deploy.Tests/kubernetes-models, as .ci/run does."
        : needsChartRenderer ? ChartRendererTheoryAttribute.Missing : null;
}
