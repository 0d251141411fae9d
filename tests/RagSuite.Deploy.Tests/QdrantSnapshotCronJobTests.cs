using k8s.Models;

namespace RagSuite.Deploy.Tests;

/// <summary>The qdrant-snapshot CronJob as the chart renders it: schedule, retention, the key as a file, a locked-down pod.</summary>
public sealed class QdrantSnapshotCronJobTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    private const string Name = "ragsuite-qdrant-snapshot";

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    public async Task The_snapshot_CronJob_runs_the_charts_script_on_its_schedule_with_the_key_as_a_file(string values)
    {
        var chart = await RenderResult.RenderAsync(renderer, """
            retriever: {store: qdrant}
            qdrant:
              apiKey: {existingSecret: ragsuite-qdrant}
              snapshots: {enabled: true, schedule: "5 3 * * 0", timeZone: Etc/UTC, keep: 4, peers: ["http://qdrant-0.qdrant-headless:6333", "http://qdrant-1.qdrant-headless:6333"]}
            """, values);

        var job = chart.Single<V1CronJob>(Name);
        Assert.Equal(("5 3 * * 0", "Etc/UTC", "Forbid"), (job.Spec.Schedule, job.Spec.TimeZone, job.Spec.ConcurrencyPolicy));
        var pod = job.Spec.JobTemplate.Spec.Template;
        Assert.Equal("qdrant-snapshot", pod.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("curlimages/curl:8.11.1", container.Image);
        Assert.Equal(["/bin/sh", "-c"], container.Command);
        var script = await File.ReadAllTextAsync(Path.Combine(ChartRenderer.Chart, "files", "qdrant-snapshot.sh"));
        Assert.Equal(script, Assert.Single(container.Args));
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("http://qdrant.ragsuite.svc.cluster.local:6333", env["QDRANT_URL"]);
        Assert.Equal("4", env["KEEP"]);
        Assert.Equal("http://qdrant-0.qdrant-headless:6333 http://qdrant-1.qdrant-headless:6333", env["QDRANT_PEERS"]);
        Assert.Equal("/var/run/secrets/ragsuite/qdrant/api-key", env["QDRANT_API_KEY_FILE"]);
        Assert.All(container.Env, e => Assert.Null(e.ValueFrom)); // the key only as a file
        var mount = Assert.Single(container.VolumeMounts, m => m.Name == "qdrant-api-key");
        Assert.Equal(("/var/run/secrets/ragsuite/qdrant", true, null), (mount.MountPath, mount.ReadOnlyProperty ?? false, mount.SubPath));
        Assert.Equal("ragsuite-qdrant", Assert.Single(pod.Spec.Volumes, v => v.Name == "qdrant-api-key").Secret.SecretName);
    }

    [ChartRendererTheory]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public async Task The_snapshot_pod_is_non_root_read_only_and_bounded(string values)
    {
        var chart = await RenderResult.RenderAsync(renderer, null, values);

        var job = chart.Single<V1CronJob>(Name);
        Assert.True(job.Spec.JobTemplate.Spec.ActiveDeadlineSeconds > 0);
        var pod = job.Spec.JobTemplate.Spec.Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.False(pod.AutomountServiceAccountToken);
        var container = Assert.Single(pod.Containers);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.True(container.Resources.Requests.ContainsKey("memory") && container.Resources.Limits.ContainsKey("memory"));
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-dev.yaml")]
    public async Task Without_Qdrant_there_is_no_snapshot_CronJob(string values)
    {
        var chart = await RenderResult.RenderAsync(renderer, null, values);

        Assert.Empty(chart.All<V1CronJob>());
    }
}
