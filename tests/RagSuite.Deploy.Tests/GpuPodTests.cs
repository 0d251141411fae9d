namespace RagSuite.Deploy.Tests;

/// <summary>
/// The embedder and reranker on GPUs: prod requests them on the GPU pool with rollouts that need no spare GPU, the other
/// environments stay on CPU, and the component's own settings (strategy, node selector, affinity) still win.
/// </summary>
public sealed class GpuPodTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [ChartRendererTheory]
    [InlineData("embedder")]
    [InlineData("reranker")]
    public async Task Prod_runs_the_component_on_the_GPU_pool_with_a_rollout_that_needs_no_spare_GPU(string component)
    {
        var chart = await ChartObjects.RenderAsync(renderer, ["values-prod.yaml"]);

        var deployment = chart.Deployment(component);
        var pod = deployment.Spec.Template.Spec;
        var container = ChartObjects.Container(deployment, component);
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.EndsWith("-cuda", container.Image, StringComparison.Ordinal);
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists" && t.Effect == "NoSchedule");
        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal("1", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal("Cuda", chart.ConfigMap(component).Data["RagSuite__Inference__ExecutionProvider"]);
        var spread = Assert.Single(pod.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname", spread.PodAffinityTerm.TopologyKey);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, spread.PodAffinityTerm.LabelSelector.MatchLabels);
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-dev.yaml")]
    [InlineData("values-staging.yaml")]
    public async Task Other_environments_keep_the_CPU_image_and_the_default_rollout(string values)
    {
        var chart = await ChartObjects.RenderAsync(renderer, [values]);

        foreach (var component in new[] { "embedder", "reranker" })
        {
            var deployment = chart.Deployment(component);
            var container = ChartObjects.Container(deployment, component);
            Assert.False(container.Resources.Limits.ContainsKey("nvidia.com/gpu"), $"{component} requests a GPU in {values}");
            Assert.DoesNotContain("-cuda", container.Image, StringComparison.Ordinal);
            Assert.Null(deployment.Spec.Strategy);
            Assert.Null(deployment.Spec.Template.Spec.NodeSelector);
            Assert.Equal("Cpu", chart.ConfigMap(component).Data["RagSuite__Inference__ExecutionProvider"]);
            // Spread over nodes, preferred: a small pool still schedules every replica.
            Assert.NotNull(deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
        }
    }

    [ChartRendererFact]
    public async Task The_GPU_image_follows_a_pinned_tag_or_names_its_own()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], """
            image: {registry: registry.example.com}
            embedder:
              image: {tag: "1.2.3"}
              gpu: {enabled: true}
            reranker:
              gpu: {enabled: true, image: {repository: acme/reranker-gpu, tag: "7-cu12"}}
            """);

        Assert.Equal("registry.example.com/ragsuite/embedder:1.2.3-cuda", ChartObjects.Container(chart.Deployment("embedder"), "embedder").Image);
        Assert.Equal("registry.example.com/acme/reranker-gpu:7-cu12", ChartObjects.Container(chart.Deployment("reranker"), "reranker").Image);
    }

    [ChartRendererFact]
    public async Task The_components_own_strategy_node_selector_tolerations_and_anti_affinity_win_over_the_GPU_defaults()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], """
            embedder:
              gpu: {enabled: true, count: 2}
              strategy: {type: Recreate}
              nodeSelector: {nvidia.com/gpu.present: "yes", pool: a100}
              tolerations: [{key: dedicated, operator: Equal, value: inference, effect: NoSchedule}]
              hostAntiAffinity: required
            reranker:
              gpu: {enabled: true}
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 10
                      podAffinityTerm: {topologyKey: topology.kubernetes.io/zone, labelSelector: {matchLabels: {app.kubernetes.io/component: reranker}}}
            """);

        var embedder = chart.Deployment("embedder");
        var pod = embedder.Spec.Template.Spec;
        Assert.Equal("Recreate", embedder.Spec.Strategy.Type);
        Assert.Equal("2", ChartObjects.Container(embedder, "embedder").Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal(new Dictionary<string, string> { ["nvidia.com/gpu.present"] = "yes", ["pool"] = "a100" }, pod.NodeSelector);
        Assert.Equal(["nvidia.com/gpu", "dedicated"], pod.Tolerations.Select(t => t.Key));
        var required = Assert.Single(pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname", required.TopologyKey);
        Assert.Null(pod.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution);

        var reranker = chart.Deployment("reranker").Spec.Template.Spec;
        var own = Assert.Single(reranker.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("topology.kubernetes.io/zone", own.PodAffinityTerm.TopologyKey);
    }

    [ChartRendererFact]
    public async Task Host_anti_affinity_none_leaves_the_pod_without_affinity()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], "embedder: {hostAntiAffinity: none}\n");

        Assert.Null(chart.Deployment("embedder").Spec.Template.Spec.Affinity);
    }
}
