using System.Text.RegularExpressions;
using RagSuite.Testing;
using YamlDotNet.RepresentationModel;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// deploy/qdrant: the values for Qdrant's official chart parse, and set what the RagSuite chart relies on: a cluster of
/// three with volumes, the shared API key from the Secret ragsuite-qdrant, spread over hosts, a disruption budget, and
/// the image and chart versions deploy/README.md pins.
/// </summary>
public sealed partial class QdrantValuesTests
{
    private static readonly string Directory = Path.Combine(RepositoryPaths.Root, "deploy", "qdrant");

    [Theory]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public void Qdrant_runs_three_nodes_in_cluster_mode_with_data_and_snapshot_volumes(string file)
    {
        var values = Load(file);

        Assert.Equal("3", Scalar(values, "replicaCount"));
        Assert.Equal("true", Scalar(values, "config", "cluster", "enabled"));
        Assert.Matches("^[0-9]+Gi$", Scalar(values, "persistence", "size"));
        Assert.Equal("true", Scalar(values, "snapshotPersistence", "enabled"));
        Assert.Equal(Scalar(values, "persistence", "size"), Scalar(values, "snapshotPersistence", "size"));
        Assert.Equal("true", Scalar(values, "podDisruptionBudget", "enabled"));
        Assert.Equal("1", Scalar(values, "podDisruptionBudget", "maxUnavailable"));
    }

    [Theory]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public void The_API_key_comes_from_the_Secret_the_retriever_mounts_never_from_values(string file)
    {
        var values = Load(file);

        var env = Assert.Single(((YamlSequenceNode)Node(values, "env")).Children.Cast<YamlMappingNode>(),
            e => Scalar(e, "name") == "QDRANT__SERVICE__API_KEY");
        Assert.Equal(("ragsuite-qdrant", "api-key"), (Scalar(env, "valueFrom", "secretKeyRef", "name"), Scalar(env, "valueFrom", "secretKeyRef", "key")));
        Assert.False(env.Children.ContainsKey("value"));
        // The chart's own apiKey (lookup at render time, empty under Argo CD) stays off.
        Assert.False(values.Children.ContainsKey("apiKey") && Scalar(values, "apiKey") != "false");
        Assert.Equal(("ragsuite-qdrant", "api-key"),
            (Scalar(values, "metrics", "serviceMonitor", "authorization", "credentials", "name"), Scalar(values, "metrics", "serviceMonitor", "authorization", "credentials", "key")));
    }

    [Fact]
    public void Prod_places_every_Qdrant_node_on_its_own_host()
    {
        var values = Load("values-prod.yaml");

        var term = Assert.Single(((YamlSequenceNode)Node(values, "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution")).Children.Cast<YamlMappingNode>());
        Assert.Equal("kubernetes.io/hostname", Scalar(term, "topologyKey"));
        Assert.Equal(("qdrant", "qdrant"), (Scalar(term, "labelSelector", "matchLabels", "app.kubernetes.io/name"), Scalar(term, "labelSelector", "matchLabels", "app.kubernetes.io/instance")));
        Assert.Equal(Scalar(values, "resources", "requests", "memory"), Scalar(values, "resources", "limits", "memory"));
    }

    [Theory]
    [InlineData("values-staging.yaml")]
    [InlineData("values-prod.yaml")]
    public void The_image_and_the_chart_version_are_the_ones_deploy_README_pins(string file)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "README.md"));
        var pinned = Assert.Single(ChartVersion().Matches(readme).Select(m => m.Groups[1].Value).Distinct());

        var text = File.ReadAllText(Path.Combine(Directory, file));
        Assert.Equal("v" + pinned, Scalar(Load(file), "image", "tag"));
        Assert.All(ChartVersion().Matches(text), m => Assert.Equal(pinned, m.Groups[1].Value));
        Assert.Matches(@"helm install qdrant qdrant/qdrant --version [0-9.]+ -n ragsuite-(staging|prod) -f deploy/qdrant/" + Regex.Escape(file), text);
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Directory, file));
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlNode Node(YamlMappingNode map, params string[] path)
    {
        YamlNode node = map;
        foreach (var key in path)
        {
            var children = Assert.IsType<YamlMappingNode>(node).Children;
            Assert.True(children.TryGetValue(new YamlScalarNode(key), out node!), $"no {string.Join('.', path)}");
        }
        return node;
    }

    private static string Scalar(YamlMappingNode map, params string[] path) => Assert.IsType<YamlScalarNode>(Node(map, path)).Value!;

    [GeneratedRegex(@"--version ([0-9]+\.[0-9]+\.[0-9]+)")]
    private static partial Regex ChartVersion();
}
