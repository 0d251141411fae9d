using RagSuite.Deploy.Tests.Manifests;
using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// values.schema.json, applied by chart-render before it renders as Helm applies it (install, upgrade, template, lint),
/// accepts every real values file and rejects wrong values, naming the offending key, before any template runs.
/// </summary>
[Collection(RenderedChartGroup.Name)]
public sealed class ValuesSchemaTests(RenderedCharts charts)
{
    [ChartRendererTheory]
    [MemberData(nameof(ValuesCases.All), MemberType = typeof(ValuesCases))]
    public async Task Every_values_file_meets_the_schema(string values)
    {
        var (code, _, error) = await charts.Renderer.RenderAsync(ChartRenderer.Chart, strict: false, ValuesCases.Files(values));

        Assert.True(code == 0, error);
    }

    public static TheoryData<string, string> WrongValues => new()
    {
        // Wrong types.
        { "gateway:\n  replicas: two\n", "- gateway.replicas: Invalid type. Expected: integer, given: string" },
        { "probes:\n  grpc: \"yes\"\n", "- probes.grpc: Invalid type. Expected: boolean, given: string" },
        { "gateway:\n  command: dotnet RagSuite.Gateway.dll\n", "- gateway.command: Invalid type. Expected: array, given: string" },
        { "metrics:\n  serviceMonitor:\n    labels: {release: 1}\n", "- metrics.serviceMonitor.labels.release: Invalid type. Expected: string, given: integer" },
        // Unknown or misspelt keys, at the top and deep down.
        { "unknownTopLevel: true\n", "- (root): Additional property unknownTopLevel is not allowed" },
        { "gateway:\n  replica: 3\n", "- gateway: Additional property replica is not allowed" },
        { "retriever:\n  persistence:\n    storageClass: fast\n", "- retriever.persistence: Additional property storageClass is not allowed" },
        { "embedder:\n  autoscaling:\n    maxReplica: 4\n", "- embedder.autoscaling: Additional property maxReplica is not allowed" },
        // Out of range.
        { "ports:\n  http: 70000\n", "- ports.http: Must be less than or equal to 65535" },
        { "ports:\n  grpc: 0\n", "- ports.grpc: Must be greater than or equal to 1" },
        { "generator:\n  replicas: -1\n", "- generator.replicas: Must be greater than or equal to 0" },
        { "gateway:\n  autoscaling:\n    targetCPUUtilizationPercentage: 150\n", "- gateway.autoscaling.targetCPUUtilizationPercentage: Must be less than or equal to 100" },
        { "gateway:\n  services:\n    embedder: {address: \"\", timeout: \"00:00:30\", maxAttempts: 9}\n", "- gateway.services.embedder.maxAttempts: Must be less than or equal to 5" },
        { "gateway:\n  podDisruptionBudget:\n    maxUnavailable: 0\n", "- gateway.podDisruptionBudget.maxUnavailable: Must be greater than or equal to 1" },
        { "reranker:\n  batching:\n    maxBatchSize: 0\n", "- reranker.batching.maxBatchSize: Must be greater than or equal to 1" },
        // The embedded store locks its directory: one replica.
        { "retriever:\n  replicas: 2\n", "- retriever.replicas: Must be less than or equal to 1" },
        // "latest" is never a tag: a chart release deploys the images it was tested with.
        { "image:\n  tag: latest\n", "- image.tag: Must not validate the schema (not)" },
        { "embedder:\n  image:\n    repository: ragsuite/embedder\n    tag: latest\n", "- embedder.image.tag: Must not validate the schema (not)" },
        { "tests:\n  image:\n    tag: \"\"\n", "- tests.image.tag: String length must be greater than or equal to 1" },
        // Bad enum values and formats.
        { "image:\n  pullPolicy: Sometimes\n", "- image.pullPolicy: image.pullPolicy must be one of the following" },
        { "embedder:\n  executionProvider: gpu\n", "- embedder.executionProvider: embedder.executionProvider must be one of the following: \"cpu\", \"cuda\"" },
        { "retriever:\n  persistence:\n    accessModes: [ReadWriteSometimes]\n", "- retriever.persistence.accessModes.0: retriever.persistence.accessModes.0 must be one of the following" },
        { "gateway:\n  ingress:\n    hosts: [{host: a.example.com, paths: [{path: /, pathType: Suffix}]}]\n", "- gateway.ingress.hosts.0.paths.0.pathType: gateway.ingress.hosts.0.paths.0.pathType must be one of the following" },
        { "metrics:\n  serviceMonitor:\n    interval: 30 seconds\n", "- metrics.serviceMonitor.interval: Does not match pattern" },
        { "otel:\n  endpoint: otel-collector:4317\n", "- otel.endpoint: Does not match pattern" },
        { "gateway:\n  cors:\n    allowedOrigins: [\"*\"]\n", "- gateway.cors.allowedOrigins.0: Does not match pattern" },
        { "gateway:\n  services:\n    retriever: {address: \"retriever:8081\", timeout: \"00:00:30\", maxAttempts: 3}\n", "- gateway.services.retriever.address: Does not match pattern" },
        { "serviceToken:\n  existingSecret: token\n  secretKey: ../token\n", "- serviceToken.secretKey: Does not match pattern" },
        { "retriever:\n  persistence:\n    size: ten gigabytes\n", "- retriever.persistence.size: Does not match pattern" },
        // Missing required keys (a null removes a default, as in Helm).
        { "gateway:\n  services:\n    generator: {timeout: null}\n", "- gateway.services.generator: timeout is required" },
        { "ports:\n  grpc: null\n", "- ports: grpc is required" },
    };

    [ChartRendererTheory]
    [MemberData(nameof(WrongValues))]
    public async Task A_wrong_value_is_rejected_before_rendering_naming_its_key(string values, string expected)
    {
        using var directory = new TemporaryDirectory("ragsuite-values");
        var file = Path.Combine(directory.Path, "wrong.yaml");
        await File.WriteAllTextAsync(file, values);

        var (code, output, error) = await charts.Renderer.RenderAsync(ChartRenderer.Chart, strict: false, file);

        Assert.NotEqual(0, code);
        Assert.Empty(output);
        Assert.Contains("values don't meet the specifications of the schema(s) in the following chart(s):\nragsuite:\n", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
