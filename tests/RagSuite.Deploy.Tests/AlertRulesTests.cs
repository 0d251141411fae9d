using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The Prometheus rules in deploy/prometheus load and behave as their unit tests say (promtool, from Debian's
/// <c>prometheus</c> package, which <c>.ci/run</c> installs): the alerts operators get, the degraded-queries one among them.
/// </summary>
public sealed class AlertRulesTests
{
    private static readonly string Rules = Path.Combine(RepositoryPaths.Root, "deploy", "prometheus");

    [PromtoolFact]
    public async Task Rules_load_without_errors() =>
        await PromtoolAsync("check", "rules", "ragsuite-rules.yaml");

    [PromtoolFact]
    public async Task Rules_unit_tests_pass_including_the_degraded_queries_alert()
    {
        var output = await PromtoolAsync("test", "rules", "ragsuite-rules.test.yaml");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
        Assert.Contains("RagSuiteQueriesDegraded", await File.ReadAllTextAsync(Path.Combine(Rules, "ragsuite-rules.test.yaml")), StringComparison.Ordinal);
    }

    private static async Task<string> PromtoolAsync(params string[] arguments)
    {
        var (code, output, error) = await ToolRun.RunAsync("promtool", Rules, arguments);
        Assert.True(code == 0, $"promtool {string.Join(' ', arguments)} failed:\n{output}{error}");
        return output + error;
    }
}

/// <summary>Skips, saying how to get it, where <c>promtool</c> is not on PATH.</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (!ToolRun.OnPath("promtool")) Skip = "promtool is not on PATH: install Debian's prometheus package (apt-get install prometheus), as .ci/run does.";
    }
}
