using System.Text.RegularExpressions;

namespace RagSuite.Deploy.Tests.Policies;

/// <summary>
/// No secret reaches a ConfigMap or a literal environment variable: settings that name a secret point at a file under
/// /var/run/secrets/ragsuite/, Secrets are mounted whole (never subPath) and read-only, and no Secret becomes env vars.
/// </summary>
public sealed partial class SecretExposureTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    public static TheoryData<string, string?> Scenarios => new()
    {
        { "values.yaml", null },
        { "values-dev.yaml", null },
        { "values-staging.yaml", null },
        { "values-prod.yaml", null },
        { "values-prod.yaml", ExternalSecretTests.AllSecrets },
        { "values-prod.yaml", PolicyScenarios.EverythingOn },
    };

    [ChartRendererTheory]
    [MemberData(nameof(Scenarios))]
    public async Task ConfigMaps_hold_only_paths_to_secret_files(string values, string? overrides)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values, overrides);

        Assert.All(chart.OfKind("ConfigMap"), configMap =>
        {
            foreach (var (key, value) in configMap["data"]?.AsObject() ?? [])
            {
                if (!SecretName().IsMatch(key)) continue;
                Assert.True(key.EndsWith("File", StringComparison.Ordinal), $"ConfigMap {ChartObjects.Name(configMap)} holds {key} itself, not a file path");
                Assert.StartsWith("/var/run/secrets/ragsuite/", value!.ToString());
            }
        });
    }

    [ChartRendererTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Secrets_reach_pods_as_whole_read_only_mounts_or_secret_references_never_as_values(string values, string? overrides)
    {
        var chart = await ChartObjects.RenderAsync(renderer, values, overrides);

        Assert.Empty(chart.OfKind("Secret"));
        Assert.All(chart.Pods, pod =>
        {
            var secretVolumes = (pod.Spec["volumes"]?.AsArray() ?? []).Where(v => v!["secret"] is not null).Select(v => v!["name"]!.GetValue<string>()).ToHashSet();
            foreach (var container in ExternalSecretTests.Containers(pod))
            {
                Assert.DoesNotContain(container["envFrom"]?.AsArray() ?? [], e => e!["secretRef"] is not null);
                foreach (var variable in container["env"]?.AsArray() ?? [])
                {
                    var name = variable!["name"]!.GetValue<string>();
                    if (SecretName().IsMatch(name) && !name.EndsWith("file", StringComparison.OrdinalIgnoreCase))
                    {
                        Assert.True(variable["value"] is null, $"{pod.Owner} sets {name} to a literal value");
                    }
                }
                foreach (var mount in (container["volumeMounts"]?.AsArray() ?? []).Where(m => secretVolumes.Contains(m!["name"]!.GetValue<string>())))
                {
                    Assert.Null(mount!["subPath"]);
                    Assert.True(mount["readOnly"]?.GetValue<bool>() == true, $"{pod.Owner} mounts Secret volume {mount["name"]} writable");
                    if (pod.Component is "gateway" or "embedder" or "retriever" or "reranker" or "generator")
                    {
                        Assert.StartsWith("/var/run/secrets/ragsuite/", mount["mountPath"]!.GetValue<string>());
                    }
                }
            }
        });
    }

    /// <summary>
    /// Names of settings or variables that carry a secret (or, ending in File or _FILE, its path): ServiceToken__File, HF_TOKEN,
    /// ApiKeyFile, ConnectionStringFile; not MaxBatchTokens (the word must end there: no lower-case letter follows).
    /// </summary>
    [GeneratedRegex("(?i:api_?key|token|password|secret|connection_?string|credential)(?![a-z])")]
    private static partial Regex SecretName();
}
