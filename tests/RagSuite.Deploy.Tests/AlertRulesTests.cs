using System.Text.RegularExpressions;
using RagSuite.Testing;
using RagSuite.Testing.Monitoring;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// The Prometheus rules the chart ships (charts/ragsuite/files/prometheus) load and behave as their unit tests say
/// (promtool, from Debian's <c>prometheus</c> package, which <c>.ci/run</c> installs); the unit tests fire and do not
/// fire every alert; every alert carries what an on-call engineer needs, and its runbook section exists.
/// </summary>
public sealed partial class AlertRulesTests
{
    private const string RunbookBase = "https://github.com/ragsuite/ragsuite/blob/main/deploy/RUNBOOK.md";

    private static readonly string[] Severities = ["critical", "warning"];

    [PromtoolFact]
    public async Task Rules_load_without_errors() =>
        await Promtool.RunAsync(MonitoringFiles.PrometheusDirectory, "check", "rules", Path.GetFileName(MonitoringFiles.RulesFile));

    [PromtoolFact]
    public async Task Rules_unit_tests_pass()
    {
        var output = await Promtool.RunAsync(MonitoringFiles.PrometheusDirectory, "test", "rules", Path.GetFileName(MonitoringFiles.RulesTestFile));
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_does_not()
    {
        var cases = AlertCases();

        Assert.All(Alerts(), alert =>
        {
            Assert.True(cases.Contains((alert.Alert!, true)), $"{alert.Alert}: no promtool case where it fires");
            Assert.True(cases.Contains((alert.Alert!, false)), $"{alert.Alert}: no promtool case where it does not fire");
        });
        Assert.Empty(cases.Select(c => c.Alert).Except(Alerts().Select(a => a.Alert!)));
    }

    [Fact]
    public void The_probe_dilution_case_pages_a_total_outage_at_0_04_queries_per_second_behind_three_gateways()
    {
        // The case the issue names: user queries all failing at 0.04/s in all, over three gateways whose probes and
        // scrapes succeed. It must be tested as firing, with every probe and scrape route present in its input.
        var dilution = Tests().Single(test => InputSeries(test).Any(s => s.Contains("/readyz", StringComparison.Ordinal))
            && Firing(test).Contains("RagSuiteGateway5xxRateHigh"));
        var series = InputSeries(dilution);

        Assert.Equal(3, series.Where(s => s.Contains("/v1/query", StringComparison.Ordinal)).Select(Instance).Distinct().Count());
        foreach (var route in new[] { "/healthz", "/readyz", "/metrics" })
        {
            Assert.Equal(3, series.Count(s => s.Contains($"http_route=\"{route}\"", StringComparison.Ordinal)));
        }
        var perMinute = ((List<object?>)dilution["input_series"]!).Cast<Dictionary<string, object?>>()
            .Where(s => ((string)s["series"]!).Contains("/v1/query", StringComparison.Ordinal))
            .Sum(s => double.Parse(SeriesStep().Match((string)s["values"]!).Groups["step"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.04, perMinute / 60, 6);
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_a_description_and_a_runbook_section()
    {
        var sections = RunbookSections();

        Assert.All(Alerts(), alert =>
        {
            Assert.Contains(alert.Labels.GetValueOrDefault("severity"), Severities);
            Assert.False(string.IsNullOrWhiteSpace(alert.Annotations.GetValueOrDefault("summary")), $"{alert.Alert}: no summary");
            Assert.False(string.IsNullOrWhiteSpace(alert.Annotations.GetValueOrDefault("description")), $"{alert.Alert}: no description");
            Assert.Equal($"{RunbookBase}#{alert.Alert!.ToLowerInvariant()}", alert.Annotations.GetValueOrDefault("runbook_url"));
            Assert.Contains(alert.Alert, sections);
            Assert.Equal(["description", "runbook_url", "summary"], alert.Annotations.Keys.Order(StringComparer.Ordinal));
        });
        Assert.Equal(Alerts().Select(a => a.Alert!).Order(StringComparer.Ordinal), sections.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_runbook_section_says_what_it_means_what_to_check_the_causes_and_the_fixes()
    {
        var text = File.ReadAllText(MonitoringFiles.Runbook);
        var sections = Regex.Split(text, @"^## ", RegexOptions.Multiline).Skip(1);

        Assert.All(sections, section =>
        {
            foreach (var part in new[] { "**Meaning.**", "**First checks.**", "**Likely causes.**", "**Fixes.**" })
            {
                Assert.True(section.Contains(part, StringComparison.Ordinal), $"RUNBOOK.md section {section.Split('\n')[0]} has no {part}");
            }
        });
    }

    private static IEnumerable<PrometheusRule> Alerts() => MonitoringFiles.Rules().Where(r => r.Alert is not null);

    private static List<string> RunbookSections() =>
        [.. File.ReadLines(MonitoringFiles.Runbook).Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim())];

    private static List<Dictionary<string, object?>> Tests() =>
        [.. ((List<object?>)((Dictionary<string, object?>)MonitoringFiles.ParseYaml(File.ReadAllText(MonitoringFiles.RulesTestFile))!)["tests"]!)
            .Cast<Dictionary<string, object?>>()];

    private static IEnumerable<Dictionary<string, object?>> AlertTests(Dictionary<string, object?> test) =>
        ((List<object?>?)test.GetValueOrDefault("alert_rule_test") ?? []).Cast<Dictionary<string, object?>>();

    private static bool Fires(Dictionary<string, object?> alertTest) => alertTest.GetValueOrDefault("exp_alerts") is List<object?> { Count: > 0 };

    private static HashSet<string> Firing(Dictionary<string, object?> test) =>
        [.. AlertTests(test).Where(Fires).Select(a => (string)a["alertname"]!)];

    private static HashSet<(string Alert, bool Fires)> AlertCases() =>
        [.. Tests().SelectMany(AlertTests).Select(a => ((string)a["alertname"]!, Fires(a)))];

    private static List<string> InputSeries(Dictionary<string, object?> test) =>
        [.. ((List<object?>)test["input_series"]!).Cast<Dictionary<string, object?>>().Select(s => (string)s["series"]!)];

    private static string Instance(string series) => InstanceLabel().Match(series).Groups["instance"].Value;

    [GeneratedRegex("instance=\"(?<instance>[^\"]+)\"")]
    private static partial Regex InstanceLabel();

    [GeneratedRegex(@"^0\+(?<step>[0-9.]+)x[0-9]+$")]
    private static partial Regex SeriesStep();
}

/// <summary>Runs promtool and fails the test with its output when it fails.</summary>
internal static class Promtool
{
    public static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var (code, output, error) = await ToolRun.RunAsync("promtool", directory, arguments);
        Assert.True(code == 0, $"promtool {string.Join(' ', arguments)} failed:\n{output}{error}");
        return output + error;
    }
}

/// <summary>Skips, saying how to get it, where <c>promtool</c> is not on PATH.</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (!ToolRun.OnPath("promtool")) Skip = Reason;
    }

    public const string Reason = "promtool is not on PATH: install Debian's prometheus package (apt-get install prometheus), as .ci/run does.";
}

/// <summary>A theory that skips, as <see cref="PromtoolFactAttribute"/> does, where <c>promtool</c> is not on PATH.</summary>
public sealed class PromtoolTheoryAttribute : TheoryAttribute
{
    public PromtoolTheoryAttribute()
    {
        if (!ToolRun.OnPath("promtool")) Skip = PromtoolFactAttribute.Reason;
    }
}
