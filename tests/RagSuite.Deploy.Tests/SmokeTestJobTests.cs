using RagSuite.Testing;
using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The smoke test under GitOps: a Job the chart renders for every values file as an Argo CD PostSync hook (and a Helm
/// post-install/post-upgrade hook), bounded, non-root, read-only, running the same script as the helm test pod.
/// </summary>
public sealed class SmokeTestJobTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>, IDisposable
{
    private readonly TemporaryDirectory _values = new("ragsuite-smoke-values");

    private static readonly string Script = File.ReadAllText(Path.Combine(ChartRenderer.Chart, "files", "smoke-test.sh"));

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-dev.yaml")]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task The_smoke_test_is_a_post_sync_hook_job_that_runs_the_shared_script(string values)
    {
        var objects = await RenderAsync(Path.Combine(ChartRenderer.Chart, values));
        var job = objects.Single(o => o.Kind() == "Job" && o.Text("metadata", "labels", "app.kubernetes.io/component") == "smoke-test");
        var annotations = job.Get("metadata", "annotations");

        Assert.Equal("PostSync", annotations.Text("argocd.argoproj.io/hook"));
        Assert.Equal("BeforeHookCreation,HookSucceeded", annotations.Text("argocd.argoproj.io/hook-delete-policy"));
        Assert.Equal("post-install,post-upgrade", annotations.Text("helm.sh/hook"));
        Assert.Equal("smoke-test", job.Text("spec", "template", "metadata", "labels", "app.kubernetes.io/component"));
        Assert.InRange(int.Parse(job.Text("spec", "activeDeadlineSeconds")!, System.Globalization.CultureInfo.InvariantCulture), 60, 3600);
        Assert.InRange(int.Parse(job.Text("spec", "backoffLimit")!, System.Globalization.CultureInfo.InvariantCulture), 0, 5);

        var pod = job.Get("spec", "template", "spec");
        var container = Assert.Single(pod.Items("containers"));
        Assert.Equal("Never", pod.Text("restartPolicy"));
        Assert.Equal("false", pod.Text("automountServiceAccountToken"));
        Assert.Equal("true", pod.Text("securityContext", "runAsNonRoot"));
        Assert.Equal("true", container.Text("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
        Assert.NotNull(container.Text("resources", "requests", "cpu"));
        Assert.NotNull(container.Text("resources", "limits", "memory"));
        Assert.Equal(Script, Assert.Single(container.Items("args")).Text());
        Assert.Equal(Script, Assert.Single(HelmTestPod(objects).Items("spec", "containers")).Items("args").Single().Text());
        Assert.Equal($"http://ragsuite-gateway.ragsuite.svc.cluster.local:8080", Env(container, "GATEWAY"));
    }

    [ChartRendererFact]
    public async Task Turned_off_no_job_renders_and_helm_test_still_does()
    {
        var objects = await RenderAsync(await ValuesAsync("smokeTest:\n  enabled: false\n"));

        Assert.DoesNotContain(objects, o => o.Kind() == "Job");
        Assert.NotNull(HelmTestPod(objects));
    }

    [ChartRendererFact]
    public async Task With_API_keys_on_and_no_admin_key_the_render_fails_saying_what_to_set()
    {
        var (code, _, error) = await renderer.RenderAsync(ChartRenderer.Chart, strict: true,
            await ValuesAsync("auth:\n  existingSecret: ragsuite-api-keys\n"));

        Assert.NotEqual(0, code);
        Assert.Contains("set tests.apiKey.existingSecret", error, StringComparison.Ordinal);
    }

    [ChartRendererFact]
    public async Task With_API_keys_on_the_admin_key_is_a_mounted_secret_file_never_an_environment_value()
    {
        var objects = await RenderAsync(await ValuesAsync(
            "auth:\n  existingSecret: ragsuite-api-keys\ntests:\n  apiKey:\n    existingSecret: ragsuite-smoke-key\n    secretKey: api-key\n"));
        var pod = objects.Single(o => o.Kind() == "Job").Get("spec", "template", "spec");
        var container = pod.Items("containers").Single();

        var volume = pod.Items("volumes").Single(v => v.Text("secret", "secretName") == "ragsuite-smoke-key");
        var mount = container.Items("volumeMounts").Single(m => m.Text("name") == volume.Text("name"));
        Assert.Equal("/var/run/secrets/ragsuite/smoke-test", mount.Text("mountPath"));
        Assert.Equal("true", mount.Text("readOnly"));
        Assert.Null(mount.Find("subPath"));
        Assert.Equal("/var/run/secrets/ragsuite/smoke-test/api-key", Env(container, "API_KEY_FILE"));
        Assert.DoesNotContain(container.Items("env"), e => e.Find("valueFrom") is not null);
    }

    private static YamlNode HelmTestPod(IReadOnlyList<YamlMappingNode> objects) =>
        objects.Single(o => o.Kind() == "Pod" && o.Text("metadata", "annotations", "helm.sh/hook") == "test");

    private static string? Env(YamlNode container, string name) =>
        container.Items("env").SingleOrDefault(e => e.Text("name") == name)?.Text("value");

    private async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(params string[] values)
    {
        var (code, output, error) = await renderer.RenderAsync(ChartRenderer.Chart, strict: true, values);
        Assert.True(code == 0, error);
        return YamlManifests.Load(output);
    }

    public void Dispose() => _values.Dispose();

    private async Task<string> ValuesAsync(string yaml)
    {
        var file = Path.Combine(_values.Path, $"{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return file;
    }
}
