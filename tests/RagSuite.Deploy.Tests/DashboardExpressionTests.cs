using System.Text;
using RagSuite.Testing;
using RagSuite.Testing.Monitoring;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// Every PromQL expression of the dashboards the chart ships (each panel target and each query variable's selector),
/// with Grafana's variables replaced, is valid PromQL: promtool checks it as a recording rule, as it checks the rules.
/// </summary>
public sealed class DashboardExpressionTests
{
    [Fact]
    public void Every_dashboard_expression_is_found_with_no_grafana_variable_left()
    {
        var expressions = MonitoringFiles.DashboardExpressions();

        Assert.NotEmpty(MonitoringFiles.Dashboards);
        Assert.True(expressions.Count > 40, $"only {expressions.Count} expressions found");
        Assert.All(expressions, e => Assert.False(e.Expr.Contains('$', StringComparison.Ordinal) || e.Expr.Contains("[[", StringComparison.Ordinal),
            $"{e.Dashboard} {e.Where}: a variable is left in {e.Expr}"));
    }

    [PromtoolFact]
    public async Task Every_dashboard_expression_passes_promtool_check_rules()
    {
        var expressions = MonitoringFiles.DashboardExpressions();

        var (code, output) = await CheckAsRulesAsync(expressions.Select(e => e.Expr));

        Assert.True(code == 0, $"promtool check rules failed on the dashboards' expressions:\n{output}\n" +
            string.Join('\n', expressions.Select((e, i) => $"dashboard:expression_{i}:check = {e.Dashboard} {e.Where}")));
        Assert.Contains($"SUCCESS: {expressions.Count} rules found", output, StringComparison.Ordinal);
    }

    [PromtoolTheory]
    [InlineData("sum(rate(ragsuite_gateway_chunks_total{namespace=\"$namespace\"}[$__rate_interval]))", "missing unit character in duration")]
    [InlineData("sum by (stage (rate(ragsuite_gateway_stage_duration_seconds_bucket[2m]))", "unexpected")]
    [InlineData("histogram_quantile(0.95, sum by (le) (ragsuite_gateway_stage_duration_seconds_bucket[2m]))", "expected type instant vector")]
    [InlineData("rate(ragsuite_gateway_chunks_total)", "expected type range vector")]
    [InlineData("not_a_function(up)", "unknown function")]
    [InlineData("up{job=~\"(unclosed\"}", "missing closing")]
    public async Task A_broken_expression_fails_the_check(string expr, string expected)
    {
        var (code, output) = await CheckAsRulesAsync([expr]);

        Assert.NotEqual(0, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rate(x{namespace=\"$namespace\", job=~\"$job\"}[$__rate_interval])", "rate(x{namespace=\"ragsuite-prod\", job=~\"ragsuite-.+\"}[2m])")]
    [InlineData("rate(x{namespace=\"${namespace}\"}[${__interval}])", "rate(x{namespace=\"ragsuite-prod\"}[30s])")]
    [InlineData("rate(x{namespace=\"[[namespace]]\"}[$__range])", "rate(x{namespace=\"ragsuite-prod\"}[6h])")]
    [InlineData("x{job=~\"${job:regex}\"} offset $undefined", "x{job=~\"ragsuite-.+\"} offset $undefined")]
    public void Grafana_variables_are_replaced_in_all_three_syntaxes_and_unknown_ones_kept(string expr, string expected)
    {
        var variables = new Dictionary<string, string>(MonitoringFiles.BuiltInVariables) { ["namespace"] = "ragsuite-prod", ["job"] = "ragsuite-.+" };

        Assert.Equal(expected, MonitoringFiles.Substitute(expr, variables));
    }

    /// <summary>Writes each expression as a recording rule into a temporary rules file and runs promtool check rules on it.</summary>
    private static async Task<(int Code, string Output)> CheckAsRulesAsync(IEnumerable<string> expressions)
    {
        using var directory = new TemporaryDirectory("ragsuite-dashboard-rules");
        var rules = new StringBuilder("groups:\n  - name: dashboard-expressions\n    rules:\n");
        var i = 0;
        foreach (var expr in expressions)
        {
            // A JSON string is a valid YAML double-quoted scalar: the expression reaches promtool exactly.
            rules.Append($"      - record: dashboard:expression_{i++}:check\n        expr: {System.Text.Json.JsonSerializer.Serialize(expr)}\n");
        }
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "dashboard-rules.yaml"), rules.ToString());
        var (code, output, error) = await ToolRun.RunAsync("promtool", directory.Path, ["check", "rules", "dashboard-rules.yaml"]);
        return (code, output + error);
    }
}
