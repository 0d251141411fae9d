using k8s.Models;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// vllm.enabled: a vLLM Deployment and Service on GPU nodes, and the generator wired to it as its first upstream through
/// its ConfigMap, the API key reaching both as a Secret (an env reference in vLLM, a mounted file in the generator).
/// </summary>
public sealed class VllmChartTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    private const string Enabled = """
        vllm:
          enabled: true
          model: Qwen/Qwen2.5-7B-Instruct
          servedModelName: qwen2.5-7b
          maxModelLen: 16384
          apiKey: {existingSecret: ragsuite-vllm, secretKey: api-key}
        """;

    [ChartRendererFact]
    public async Task Enabled_renders_a_GPU_Deployment_serving_the_model_with_probes_on_health()
    {
        var chart = await ChartObjects.RenderAsync(renderer, ["values-prod.yaml"], Enabled);

        var deployment = chart.Deployment("vllm");
        var pod = deployment.Spec.Template.Spec;
        var vllm = ChartObjects.Container(deployment, "vllm");
        Assert.Equal("vllm", deployment.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Matches(@"^vllm/vllm-openai:v\d+\.\d+\.\d+$", vllm.Image);
        Assert.Equal(["vllm", "serve"], vllm.Command);
        Assert.Equal("Qwen/Qwen2.5-7B-Instruct", vllm.Args[0]);
        Assert.Contains("--served-model-name=qwen2.5-7b", vllm.Args);
        Assert.Contains("--max-model-len=16384", vllm.Args);
        Assert.Contains("--gpu-memory-utilization=0.9", vllm.Args);
        Assert.Contains("--port=8000", vllm.Args);
        Assert.DoesNotContain(vllm.Args, a => a.StartsWith("--tensor-parallel-size", StringComparison.Ordinal));
        Assert.Equal("1", vllm.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu");
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value);

        foreach (var probe in new[] { vllm.StartupProbe, vllm.LivenessProbe, vllm.ReadinessProbe })
        {
            Assert.Equal("/health", probe.HttpGet.Path);
            Assert.Equal("http", probe.HttpGet.Port.Value);
        }
        // A first start downloads and loads the weights: the startup probe allows ten minutes at least.
        Assert.True(vllm.StartupProbe.PeriodSeconds * vllm.StartupProbe.FailureThreshold >= 600);

        var shm = Assert.Single(pod.Volumes, v => v.Name == "shm");
        Assert.Equal("Memory", shm.EmptyDir.Medium);
        Assert.Contains(vllm.VolumeMounts, m => m.Name == "shm" && m.MountPath == "/dev/shm");
        var cache = Assert.Single(pod.Volumes, v => v.Name == "cache");
        Assert.Equal("ragsuite-vllm", cache.PersistentVolumeClaim.ClaimName);
        Assert.True(chart.Has("PersistentVolumeClaim", "ragsuite-vllm"));
    }

    [ChartRendererFact]
    public async Task vLLM_runs_unprivileged_and_gets_its_API_key_from_the_Secret_never_as_a_literal()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], Enabled);

        var deployment = chart.Deployment("vllm");
        var vllm = ChartObjects.Container(deployment, "vllm");
        Assert.True(deployment.Spec.Template.Spec.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, deployment.Spec.Template.Spec.SecurityContext.RunAsUser);
        Assert.False(vllm.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(vllm.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], vllm.SecurityContext.Capabilities.Drop);
        // With a read-only root filesystem, everything vLLM writes lands on a volume.
        foreach (var path in new[] { "/tmp", "/home/vllm", "/var/lib/vllm" }) Assert.Contains(vllm.VolumeMounts, m => m.MountPath == path);
        Assert.Equal("/home/vllm", vllm.Env.Single(e => e.Name == "HOME").Value);

        var key = Assert.Single(vllm.Env, e => e.Name == "VLLM_API_KEY");
        Assert.Null(key.Value);
        Assert.Equal("ragsuite-vllm", key.ValueFrom.SecretKeyRef.Name);
        Assert.Equal("api-key", key.ValueFrom.SecretKeyRef.Key);
        Assert.DoesNotContain(vllm.Args, a => a.StartsWith("--api-key", StringComparison.Ordinal));
    }

    [ChartRendererFact]
    public async Task The_generator_calls_the_vLLM_Service_first_with_the_key_mounted_as_a_file_then_the_external_upstreams()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], Enabled, """
            generator:
              upstreams:
                - name: hosted
                  baseUrl: https://api.example.com/v1
                  model: example-large
                  apiKey: {existingSecret: llm-keys, secretKey: hosted}
                  contextWindow: 128000
                  tokenizer: o200k_base
                  timeoutSeconds: 90
              routing: {policy: least-latency}
            """);

        var service = chart.Get<V1Service>("Service", "ragsuite-vllm");
        Assert.Equal(chart.Deployment("vllm").Spec.Selector.MatchLabels, service.Spec.Selector);
        var port = Assert.Single(service.Spec.Ports);
        var settings = chart.ConfigMap("generator").Data;
        Assert.Equal("vllm", settings["RagSuite__Generator__Upstreams__0__Name"]);
        Assert.Equal($"http://{service.Metadata.Name}.ragsuite.svc.cluster.local:{port.Port}/v1", settings["RagSuite__Generator__Upstreams__0__BaseUrl"]);
        Assert.Equal("qwen2.5-7b", settings["RagSuite__Generator__Upstreams__0__Model"]);
        Assert.Equal("16384", settings["RagSuite__Generator__Upstreams__0__ContextWindow"]);
        Assert.Equal("hosted", settings["RagSuite__Generator__Upstreams__1__Name"]);
        Assert.Equal("https://api.example.com/v1", settings["RagSuite__Generator__Upstreams__1__BaseUrl"]);
        Assert.Equal("128000", settings["RagSuite__Generator__Upstreams__1__ContextWindow"]);
        Assert.Equal("o200k_base", settings["RagSuite__Generator__Upstreams__1__Tokenizer"]);
        Assert.Equal("90", settings["RagSuite__Generator__Upstreams__1__TimeoutSeconds"]);
        Assert.Equal("least-latency", settings["RagSuite__Generator__Routing__Policy"]);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("RagSuite__Generator__Upstreams__2__", StringComparison.Ordinal));

        var generator = chart.Deployment("generator");
        var container = ChartObjects.Container(generator, "generator");
        foreach (var (index, secret, key) in new[] { (0, "ragsuite-vllm", "api-key"), (1, "llm-keys", "hosted") })
        {
            var file = settings[$"RagSuite__Generator__Upstreams__{index}__ApiKeyFile"];
            Assert.StartsWith("/var/run/secrets/ragsuite/", file, StringComparison.Ordinal);
            var mount = Assert.Single(container.VolumeMounts, m => file == $"{m.MountPath}/{key}");
            Assert.True(mount.ReadOnlyProperty);
            Assert.Null(mount.SubPath);
            var volume = Assert.Single(generator.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
            Assert.Equal(secret, volume.Secret.SecretName);
            Assert.Equal(key, Assert.Single(volume.Secret.Items).Key);
        }
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task Disabled_renders_no_vLLM_and_leaves_the_generator_extractive(string values)
    {
        var chart = await ChartObjects.RenderAsync(renderer, [values]);

        Assert.DoesNotContain(chart.Names("Deployment"), n => n.EndsWith("-vllm", StringComparison.Ordinal));
        Assert.False(chart.Has("Service", "ragsuite-vllm"));
        Assert.False(chart.Has("PersistentVolumeClaim", "ragsuite-vllm"));
        Assert.DoesNotContain(chart.ConfigMap("generator").Data.Keys, k => k.StartsWith("RagSuite__Generator__Upstreams__", StringComparison.Ordinal));
    }

    [ChartRendererFact]
    public async Task Several_GPUs_shard_the_model_and_an_emptyDir_cache_needs_no_claim()
    {
        var chart = await ChartObjects.RenderAsync(renderer, [], Enabled, """
            vllm:
              gpu: {count: 2}
              cache: {type: emptyDir, sizeLimit: 60Gi}
              replicas: 2
              extraArgs: [--enable-prefix-caching]
            """);

        var vllm = ChartObjects.Container(chart.Deployment("vllm"), "vllm");
        Assert.Contains("--tensor-parallel-size=2", vllm.Args);
        Assert.Equal("--enable-prefix-caching", vllm.Args[^1]);
        Assert.Equal("2", vllm.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("60Gi", Assert.Single(chart.Deployment("vllm").Spec.Template.Spec.Volumes, v => v.Name == "cache").EmptyDir.SizeLimit.ToString());
        Assert.False(chart.Has("PersistentVolumeClaim", "ragsuite-vllm"));
    }
}
