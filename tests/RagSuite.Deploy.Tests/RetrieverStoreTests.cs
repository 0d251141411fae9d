using k8s.Models;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// retriever.store in the chart: the embedded store as a one-replica StatefulSet with its volume; Qdrant and pgvector as
/// a stateless Deployment with HPA and PodDisruptionBudget, their secrets mounted as files; wrong store settings refused
/// at render time with a message naming the value.
/// </summary>
public sealed class RetrieverStoreTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    private const string Retriever = "ragsuite-retriever";

    private const string Qdrant = """
        retriever:
          store: qdrant
          autoscaling: {enabled: true, minReplicas: 2, maxReplicas: 5}
        qdrant:
          apiKey: {existingSecret: ragsuite-qdrant}
          replicationFactor: 2
          writeConsistencyFactor: 1
        """;

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    [InlineData("values-dev.yaml")]
    public async Task The_embedded_store_is_a_one_replica_StatefulSet_with_its_volume_and_no_HPA_or_PDB(string values)
    {
        var chart = await RenderResult.RenderAsync(renderer, null, values);

        var set = chart.Single<V1StatefulSet>(Retriever);
        Assert.Equal(1, set.Spec.Replicas);
        Assert.Equal("data", Assert.Single(set.Spec.VolumeClaimTemplates).Metadata.Name);
        Assert.Contains(set.Spec.Template.Spec.Containers[0].VolumeMounts, m => m.Name == "data");
        Assert.DoesNotContain(chart.All<V1Deployment>(), d => d.Metadata.Name == Retriever);
        Assert.DoesNotContain(chart.All<V2HorizontalPodAutoscaler>(), h => h.Metadata.Name == Retriever);
        Assert.DoesNotContain(chart.All<V1PodDisruptionBudget>(), p => p.Metadata.Name == Retriever);
        var config = chart.Single<V1ConfigMap>(Retriever).Data;
        Assert.Equal("embedded", config["RagSuite__Retriever__Store"]);
        Assert.Equal("/var/lib/ragsuite", config["RagSuite__Retriever__DataDirectory"]);
        Assert.DoesNotContain(config.Keys, k => k.StartsWith("RagSuite__Qdrant__", StringComparison.Ordinal));
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    public async Task With_Qdrant_the_retriever_is_a_Deployment_with_HPA_and_PDB_and_the_key_mounted_as_a_file(string values)
    {
        var chart = await RenderResult.RenderAsync(renderer, Qdrant, values);

        Assert.DoesNotContain(chart.All<V1StatefulSet>(), s => s.Metadata.Name == Retriever);
        var deployment = chart.Single<V1Deployment>(Retriever);
        Assert.Null(deployment.Spec.Replicas); // the HPA owns the count
        var hpa = chart.Single<V2HorizontalPodAutoscaler>(Retriever);
        Assert.Equal(("Deployment", Retriever, 2, 5), (hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name, hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        var pdb = chart.Single<V1PodDisruptionBudget>(Retriever);
        Assert.Equal("retriever", pdb.Spec.Selector.MatchLabels["app.kubernetes.io/component"]);
        Assert.All(pdb.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, deployment.Spec.Template.Metadata.Labels[l.Key]));

        var pod = deployment.Spec.Template.Spec;
        var volume = Assert.Single(pod.Volumes, v => v.Name == "qdrant-api-key");
        Assert.Equal("ragsuite-qdrant", volume.Secret.SecretName);
        Assert.Equal("api-key", Assert.Single(volume.Secret.Items).Key);
        var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == "qdrant-api-key");
        Assert.Equal(("/var/run/secrets/ragsuite/qdrant", true, null), (mount.MountPath, mount.ReadOnlyProperty ?? false, mount.SubPath));
        Assert.DoesNotContain(pod.Volumes, v => v.Name == "data");
        Assert.DoesNotContain(pod.Containers[0].VolumeMounts, m => m.Name == "data");

        var config = chart.Single<V1ConfigMap>(Retriever).Data;
        Assert.Equal("qdrant", config["RagSuite__Retriever__Store"]);
        Assert.Equal("http://qdrant.ragsuite.svc.cluster.local:6333", config["RagSuite__Qdrant__Url"]);
        Assert.Equal("/var/run/secrets/ragsuite/qdrant/api-key", config["RagSuite__Qdrant__ApiKeyFile"]);
        Assert.Equal(("2", "1"), (config["RagSuite__Qdrant__ReplicationFactor"], config["RagSuite__Qdrant__WriteConsistencyFactor"]));
        Assert.False(config.ContainsKey("RagSuite__Qdrant__ShardNumber"), "shardNumber 0 leaves Qdrant's default");
        Assert.False(config.ContainsKey("RagSuite__Retriever__DataDirectory"));
    }

    [ChartRendererTheory]
    [InlineData("https://qdrant.example.com:6333/", "https://qdrant.example.com:6333")]
    [InlineData("http://qdrant.db.svc:6333", "http://qdrant.db.svc:6333")]
    public async Task An_external_Qdrant_is_reached_at_its_url(string url, string expected)
    {
        var chart = await RenderResult.RenderAsync(renderer, $"retriever: {{store: qdrant}}\nqdrant: {{url: \"{url}\"}}\n", "values.yaml");

        var config = chart.Single<V1ConfigMap>(Retriever).Data;
        Assert.Equal(expected, config["RagSuite__Qdrant__Url"]);
        Assert.False(config.ContainsKey("RagSuite__Qdrant__ApiKeyFile"), "no Secret named, no key file");
    }

    [ChartRendererTheory]
    [InlineData("values.yaml")]
    public async Task With_pgvector_the_connection_string_is_a_mounted_file(string values)
    {
        var chart = await RenderResult.RenderAsync(renderer, """
            retriever: {store: pgvector, replicas: 3}
            pgvector:
              connectionString: {existingSecret: ragsuite-pgvector}
            """, values);

        var deployment = chart.Single<V1Deployment>(Retriever);
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.NotNull(chart.Single<V1PodDisruptionBudget>(Retriever));
        var volume = Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.Name == "pgvector");
        Assert.Equal(("ragsuite-pgvector", "connection-string"), (volume.Secret.SecretName, Assert.Single(volume.Secret.Items).Key));
        var mount = Assert.Single(deployment.Spec.Template.Spec.Containers[0].VolumeMounts, m => m.Name == "pgvector");
        Assert.Equal(("/var/run/secrets/ragsuite/pgvector", null), (mount.MountPath, mount.SubPath));
        var config = chart.Single<V1ConfigMap>(Retriever).Data;
        Assert.Equal("pgvector", config["RagSuite__Retriever__Store"]);
        Assert.Equal("/var/run/secrets/ragsuite/pgvector/connection-string", config["RagSuite__Pgvector__ConnectionStringFile"]);
    }

    // The schema, checked first as Helm does, names the key; the templates' own messages stay for renders that skip it
    // (helm --skip-schema-validation).
    [ChartRendererTheory]
    [InlineData("retriever: {store: mongo}", "retriever.store: retriever.store must be one of the following: \"embedded\", \"qdrant\", \"pgvector\"")]
    [InlineData("retriever: {replicas: 2}", "retriever.replicas: Must be less than or equal to 1")]
    [InlineData("retriever: {store: embedded, autoscaling: {enabled: true}}", "retriever.autoscaling.enabled: retriever.autoscaling.enabled does not match: false")]
    [InlineData("retriever: {store: pgvector}", "pgvector.connectionString.existingSecret: String length must be greater than or equal to 1")]
    [InlineData("retriever: {store: qdrant}\nqdrant: {url: \"http://admin:hunter2@qdrant:6333\"}", "qdrant.url: Does not match pattern")]
    [InlineData("retriever: {store: qdrant}\nqdrant: {url: \"qdrant:6333\"}", "qdrant.url: Does not match pattern")]
    [InlineData("retriever: {store: qdrant}\nqdrant: {replicationFactor: 2, writeConsistencyFactor: 3}", "qdrant.writeConsistencyFactor (3) exceeds qdrant.replicationFactor (2)")]
    [InlineData("retriever: {store: qdrant}\nqdrant: {writeConsistencyFactor: 2}", "qdrant.writeConsistencyFactor (2) exceeds qdrant.replicationFactor (1)")]
    [InlineData("qdrant: {snapshots: {enabled: true}}", "retriever.store: retriever.store does not match: \"qdrant\"")]
    public async Task A_store_configuration_that_cannot_work_fails_rendering_naming_the_problem(string overrides, string message)
    {
        var chart = await RenderResult.RenderAsync(renderer, overrides, "values.yaml");

        Assert.NotEqual(0, chart.ExitCode);
        Assert.Contains(message, chart.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", chart.Error, StringComparison.Ordinal);
    }

    [ChartRendererTheory]
    [InlineData("values-staging.yaml", 2, false)]
    [InlineData("values-prod.yaml", 3, true)]
    public async Task Staging_and_prod_run_a_replicated_retriever_on_Qdrant(string values, int replicas, bool autoscaled)
    {
        var chart = await RenderResult.RenderAsync(renderer, null, values);

        Assert.DoesNotContain(chart.All<V1StatefulSet>(), s => s.Metadata.Name == Retriever);
        Assert.DoesNotContain(chart.All<V1PersistentVolumeClaim>(), _ => true);
        var deployment = chart.Single<V1Deployment>(Retriever);
        var hpa = chart.All<V2HorizontalPodAutoscaler>().SingleOrDefault(h => h.Metadata.Name == Retriever);
        Assert.Equal(autoscaled, hpa is not null);
        Assert.Equal(replicas, hpa?.Spec.MinReplicas ?? deployment.Spec.Replicas);
        Assert.NotNull(chart.Single<V1PodDisruptionBudget>(Retriever));
        var config = chart.Single<V1ConfigMap>(Retriever).Data;
        Assert.Equal(("qdrant", "2"), (config["RagSuite__Retriever__Store"], config["RagSuite__Qdrant__ReplicationFactor"]));
        Assert.Equal("ragsuite-qdrant", Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.Name == "qdrant-api-key").Secret.SecretName);
        Assert.NotNull(chart.Single<V1CronJob>("ragsuite-qdrant-snapshot"));
    }
}
