using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>The chart renders for every values file with no missing key (helm lint --strict), and the renderer fails as Helm does.</summary>
public sealed class ChartRenderTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [ChartRendererTheory]
    [InlineData("values.yaml", 31)]
    [InlineData("values-dev.yaml", 31)]
    [InlineData("values-staging.yaml", 41)]
    [InlineData("values-prod.yaml", 46)]
    public async Task Every_values_file_renders_strictly_into_named_resources(string values, int documents)
    {
        var (code, output, error) = await renderer.RenderAsync(ChartRenderer.Chart, strict: true, Path.Combine(ChartRenderer.Chart, values));

        Assert.True(code == 0, error);
        var rendered = output.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(documents, rendered.Length);
        Assert.All(rendered, d =>
        {
            Assert.Contains("\napiVersion: ", d, StringComparison.Ordinal);
            Assert.Contains("\nkind: ", d, StringComparison.Ordinal);
            Assert.Contains("\n  name: ", d, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("<no value>", output, StringComparison.Ordinal);
    }

    [ChartRendererTheory]
    [InlineData("name: {{ .Values.missing.key }}", true, "map has no entry for key \"missing\"")]
    [InlineData("name: {{ required \"set image.tag\" .Values.image.tag }}", false, "set image.tag")]
    [InlineData("name: {{ fail \"not on this cluster\" }}", false, "not on this cluster")]
    [InlineData("name: {{ .Values.image.tag", false, "unclosed action")]
    public async Task A_template_error_fails_the_render_naming_the_template(string template, bool strict, string expected)
    {
        using var chart = new TemporaryDirectory("ragsuite-chart");
        Directory.CreateDirectory(Path.Combine(chart.Path, "templates"));
        await File.WriteAllTextAsync(Path.Combine(chart.Path, "Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
        await File.WriteAllTextAsync(Path.Combine(chart.Path, "values.yaml"), "image:\n  tag: \"\"\n");
        await File.WriteAllTextAsync(Path.Combine(chart.Path, "templates", "broken.yaml"), template + "\n");

        var (code, _, error) = await renderer.RenderAsync(chart.Path, strict);

        Assert.NotEqual(0, code);
        Assert.Contains("broken.yaml", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
