using k8s.Models;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// models.source: the embedder and reranker read their model folders from the image (no init container), or from a
/// volume an init container fills (ragsuite models pull, or a copy from a model image), mounted read-only where
/// RagSuite__Models__Directory points.
/// </summary>
public sealed class ModelSourceTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    private static readonly string[] ModelHosts = ["embedder", "reranker"];

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task Image_reads_the_models_baked_into_the_image_with_no_init_container(string values)
    {
        var chart = await ChartObjects.RenderAsync(renderer, [values]);

        foreach (var component in ModelHosts)
        {
            var pod = chart.Deployment(component).Spec.Template.Spec;
            Assert.Null(pod.InitContainers);
            Assert.DoesNotContain(pod.Volumes, v => v.Name == "models");
            var settings = chart.ConfigMap(component).Data;
            Assert.False(settings.ContainsKey("RagSuite__Models__Directory"), "the image's own directory (/app/models) applies");
            Assert.Equal("false", settings["RagSuite__Models__AutoPull"]);
        }
    }

    [ChartRendererFact]
    public async Task Pull_runs_ragsuite_models_pull_into_an_emptyDir_the_host_mounts_read_only()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], """
            models:
              source: pull
              pull: {npmRegistry: "https://npm.internal.example.com/"}
            """);

        foreach (var component in ModelHosts)
        {
            var deployment = chart.Deployment(component);
            var pod = deployment.Spec.Template.Spec;
            var host = ChartObjects.Container(deployment, component);
            var pull = Assert.Single(pod.InitContainers);
            Assert.Equal("pull-use-lite", pull.Name);
            Assert.Equal("ragsuite/cli:0.1.0", pull.Image);
            var target = Assert.Single(pull.VolumeMounts, m => m.Name == "models").MountPath;
            Assert.Equal(["models", "pull", "use-lite", "--models", target], pull.Args);
            Assert.Equal("https://npm.internal.example.com/", pull.Env.Single(e => e.Name == "npm_config_registry").Value);
            Assert.StartsWith("/tmp/", pull.Env.Single(e => e.Name == "npm_config_cache").Value, StringComparison.Ordinal);
            Assert.Contains(pull.VolumeMounts, m => m.MountPath == "/tmp");
            AssertRestrictedLikeTheHost(pull, host);

            Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == "models").EmptyDir);
            var mount = Assert.Single(host.VolumeMounts, m => m.Name == "models");
            Assert.True(mount.ReadOnlyProperty);
            Assert.Equal(mount.MountPath, chart.ConfigMap(component).Data["RagSuite__Models__Directory"]);
        }
    }

    [ChartRendererFact]
    public async Task ModelImage_copies_the_images_folders_into_a_shared_claim()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], """
            image: {registry: registry.example.com}
            models:
              source: modelImage
              mountPath: /srv/models
              modelImage: {image: {repository: ragsuite/models, tag: "2026.11"}, path: /opt/models}
              volume: {existingClaim: ragsuite-models}
            """);

        foreach (var component in ModelHosts)
        {
            var deployment = chart.Deployment(component);
            var pod = deployment.Spec.Template.Spec;
            var host = ChartObjects.Container(deployment, component);
            var copy = Assert.Single(pod.InitContainers);
            Assert.Equal("copy-models", copy.Name);
            Assert.Equal("registry.example.com/ragsuite/models:2026.11", copy.Image);
            var target = Assert.Single(copy.VolumeMounts, m => m.Name == "models").MountPath;
            var script = copy.Command[^1];
            Assert.Contains("/opt/models/*/", script, StringComparison.Ordinal);
            Assert.Contains($"mv -T \"$stage\" \"{target}/$name\"", script, StringComparison.Ordinal);
            AssertRestrictedLikeTheHost(copy, host);

            Assert.Equal("ragsuite-models", Assert.Single(pod.Volumes, v => v.Name == "models").PersistentVolumeClaim.ClaimName);
            Assert.Contains(host.VolumeMounts, m => m.Name == "models" && m.MountPath == "/srv/models" && m.ReadOnlyProperty == true);
            Assert.Equal("/srv/models", chart.ConfigMap(component).Data["RagSuite__Models__Directory"]);
        }
    }

    [ChartRendererFact]
    public async Task Only_the_model_hosts_get_the_models_volume()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], "models: {source: pull}\n");

        foreach (var component in new[] { "gateway", "generator" })
        {
            var pod = chart.Deployment(component).Spec.Template.Spec;
            Assert.Null(pod.InitContainers);
            Assert.DoesNotContain(pod.Volumes, v => v.Name == "models");
        }
    }

    /// <summary>An init container runs under the same restricted security context as the host and has its own resources.</summary>
    private static void AssertRestrictedLikeTheHost(V1Container init, V1Container host)
    {
        Assert.Equal(host.SecurityContext.ReadOnlyRootFilesystem, init.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(host.SecurityContext.AllowPrivilegeEscalation, init.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(host.SecurityContext.Capabilities.Drop, init.SecurityContext.Capabilities.Drop);
        Assert.True(init.SecurityContext.ReadOnlyRootFilesystem);
        Assert.True(init.Resources.Requests.ContainsKey("cpu"));
        Assert.True(init.Resources.Requests.ContainsKey("memory"));
        Assert.True(init.Resources.Limits.ContainsKey("memory"));
    }
}
