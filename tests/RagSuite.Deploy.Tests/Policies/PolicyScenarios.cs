namespace RagSuite.Deploy.Tests.Policies;

/// <summary>The values the policy tests render: every values file, and prod with every optional caller and callee on.</summary>
public static class PolicyScenarios
{
    /// <summary>
    /// prod with Qdrant as the store, the generator grounding with the embedder, and the gateway narrowed to an ingress
    /// controller's namespace; the snapshot CronJob and the vLLM server join where the chart has their templates.
    /// </summary>
    public static string EverythingOn => """
        retriever: {store: qdrant}
        generator: {grounding: {embedder: true}}
        networkPolicy:
          gatewayFrom:
            - namespaceSelector:
                matchLabels: {kubernetes.io/metadata.name: ingress-nginx}

        """
        + (HasSnapshotCronJob ? "qdrant: {snapshots: {enabled: true}}\n" : "")
        + (HasVllm ? "vllm: {enabled: true, model: Qwen/Qwen2.5-7B-Instruct}\n" : "");

    public static bool HasVllm => Directory.Exists(Path.Combine(ChartRenderer.Chart, "templates", "vllm"));

    public static bool HasSnapshotCronJob => Directory.Exists(Path.Combine(ChartRenderer.Chart, "templates", "qdrant-snapshot"));

    public static TheoryData<string, string?> All => new()
    {
        { "values.yaml", null },
        { "values-dev.yaml", null },
        { "values-staging.yaml", null },
        { "values-prod.yaml", null },
        { "values-prod.yaml", EverythingOn },
    };

    /// <summary>Pods of other charts that this chart's policies may select: Qdrant's official chart's, where Qdrant is the store.</summary>
    public static IReadOnlyList<RenderedPod> ExternalPods(ChartObjects chart) =>
        chart.OfKind("ConfigMap").Any(c => c["data"]?["RagSuite__Retriever__Store"]?.GetValue<string>() == "qdrant")
            ? [new RenderedPod("Qdrant's chart: StatefulSet/qdrant", new Dictionary<string, string>
                { ["app.kubernetes.io/name"] = "qdrant", ["app.kubernetes.io/instance"] = "qdrant" }, [], LongRunning: true)]
            : [];
}
