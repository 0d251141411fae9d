namespace RagSuite.Deploy.Tests.Policies;

/// <summary>
/// ExternalSecrets create exactly the Secrets the pods read, from the configured store, in Argo CD's wave -1 (before the
/// workloads that mount them).
/// </summary>
public sealed class ExternalSecretTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    public const string AllSecrets = """
        auth: {existingSecret: ragsuite-api-keys}
        serviceToken: {existingSecret: ragsuite-service-token}
        tests: {apiKey: {existingSecret: ragsuite-test-key}}
        generator: {existingSecret: ragsuite-generator-extra}
        externalSecrets:
          enabled: true
          secretStoreRef: {name: vault, kind: ClusterSecretStore}
          secrets:
            ragsuite-api-keys:
              data: [{secretKey: keys.json, remoteRef: {key: ragsuite/prod/api-keys}}]
            ragsuite-service-token:
              data: [{secretKey: token, remoteRef: {key: ragsuite/prod/service-token, property: token}}]
            ragsuite-test-key:
              data: [{secretKey: api-key, remoteRef: {key: ragsuite/prod/test-key}}]
            ragsuite-generator-extra:
              dataFrom: [{extract: {key: ragsuite/prod/llm}}]
              secretStoreRef: {name: team-store, kind: SecretStore}
              refreshInterval: 15m
        """;

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task Each_ExternalSecret_runs_in_wave_minus_one_and_targets_a_Secret_a_pod_reads(string values)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values, AllSecrets);
        var read = SecretsRead(chart);

        var externalSecrets = chart.OfKind("ExternalSecret").ToList();

        Assert.Equal(["ragsuite-api-keys", "ragsuite-generator-extra", "ragsuite-service-token", "ragsuite-test-key"], externalSecrets.Select(ChartObjects.Name).Order());
        Assert.All(externalSecrets, es =>
        {
            Assert.Equal("external-secrets.io/v1beta1", es["apiVersion"]!.GetValue<string>());
            Assert.Equal("-1", es["metadata"]!["annotations"]!["argocd.argoproj.io/sync-wave"]!.GetValue<string>());
            var target = es["spec"]!["target"]!["name"]!.GetValue<string>();
            Assert.Equal(ChartObjects.Name(es), target);
            Assert.Contains(target, read);
            Assert.Equal("Owner", es["spec"]!["target"]!["creationPolicy"]!.GetValue<string>());
        });
        // Qdrant's key is read by the retriever but never created here: Qdrant's own Application syncs first and needs it
        // (deploy/README.md, Vector store), so an ExternalSecret in this chart would come too late.
        Assert.Equal(read.Where(s => s != "ragsuite-qdrant").Order(), externalSecrets.Select(ChartObjects.Name).Order());
    }

    [ChartRendererTheory]
    [InlineData("ragsuite-api-keys", "vault", "ClusterSecretStore", "1h")]
    [InlineData("ragsuite-generator-extra", "team-store", "SecretStore", "15m")]
    public async Task The_store_and_refresh_come_from_the_entry_or_the_defaults(string name, string store, string kind, string refresh)
    {
        var chart = await ChartObjects.RenderAsync(renderer, "values.yaml", AllSecrets);

        var spec = Assert.Single(chart.OfKind("ExternalSecret"), es => ChartObjects.Name(es) == name)["spec"]!;

        Assert.Equal(store, spec["secretStoreRef"]!["name"]!.GetValue<string>());
        Assert.Equal(kind, spec["secretStoreRef"]!["kind"]!.GetValue<string>());
        Assert.Equal(refresh, spec["refreshInterval"]!.GetValue<string>());
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task No_ExternalSecret_is_rendered_unless_enabled(string values)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values);

        Assert.Empty(chart.OfKind("ExternalSecret"));
    }

    /// <summary>Every Secret a rendered pod reads: secret volumes, and secretKeyRef variables.</summary>
    public static IReadOnlyList<string> SecretsRead(ChartObjects chart) =>
    [
        .. chart.Pods.SelectMany(p =>
            (p.Spec["volumes"]?.AsArray() ?? []).Select(v => v!["secret"]?["secretName"]?.GetValue<string>())
            .Concat(Containers(p).SelectMany(c => c["env"]?.AsArray() ?? []).Select(e => e!["valueFrom"]?["secretKeyRef"]?["name"]?.GetValue<string>())))
            .OfType<string>().Distinct(),
    ];

    public static IEnumerable<System.Text.Json.Nodes.JsonNode> Containers(RenderedPod pod) =>
        (pod.Spec["containers"]?.AsArray() ?? []).Concat(pod.Spec["initContainers"]?.AsArray() ?? []).Select(c => c!);
}
