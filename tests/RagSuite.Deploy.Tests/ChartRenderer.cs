using RagSuite.Testing;

namespace RagSuite.Deploy.Tests;

/// <summary>
/// tools/chart-render, built once per test run with Debian's Go, sprig and gojsonschema (offline, GOPATH mode): validates the
/// values against values.schema.json and renders the chart as <c>helm template</c> does, and with <c>-strict</c> fails on a
/// missing key as <c>helm lint --strict</c> does.
/// </summary>
public sealed class ChartRenderer : IDisposable
{
    public const string Sprig = "/usr/share/gocode/src/github.com/Masterminds/sprig";
    public const string GoJsonSchema = "/usr/share/gocode/src/github.com/xeipuuv/gojsonschema";

    private readonly TemporaryDirectory _build = new("ragsuite-chart-render");
    private readonly Lazy<Task<string>> _binary;

    public ChartRenderer() => _binary = new(BuildAsync);

    public static string Chart { get; } = Path.Combine(RepositoryPaths.Root, "charts", "ragsuite");

    /// <summary>Renders <paramref name="chart"/> with the given values files; the exit code and what it printed.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RenderAsync(string chart, bool strict, params string[] valuesFiles)
    {
        string[] arguments = [.. valuesFiles.SelectMany(f => new[] { "-f", f }), .. strict ? new[] { "-strict" } : [], chart];
        return await RunAsync(arguments);
    }

    /// <summary>Renders <paramref name="chart"/> strictly as release <paramref name="release"/> in <paramref name="namespace"/>.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RenderReleaseAsync(string chart, string release, string @namespace, params string[] valuesFiles)
    {
        string[] arguments = ["-strict", "-release", release, "-namespace", @namespace, .. valuesFiles.SelectMany(f => new[] { "-f", f }), chart];
        return await ToolRun.RunAsync(await _binary.Value, RepositoryPaths.Root, arguments);
    }

    /// <summary>Runs chart-render with these arguments (e.g. -json); the exit code and what it printed.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        await ToolRun.RunAsync(await _binary.Value, RepositoryPaths.Root, arguments);

    private async Task<string> BuildAsync()
    {
        var binary = Path.Combine(_build.Path, "chart-render");
        var (code, output, error) = await ToolRun.RunAsync("go", Path.Combine(RepositoryPaths.Root, "tools", "chart-render"),
            ["build", "-o", binary, "."],
            new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = $"{Path.Combine(_build.Path, "gopath")}:/usr/share/gocode",
                ["GOCACHE"] = Path.Combine(_build.Path, "cache"),
                ["GOFLAGS"] = "",
            });
        if (code != 0) throw new InvalidOperationException($"go build of tools/chart-render failed:\n{output}{error}");
        return binary;
    }

    public void Dispose() => _build.Dispose();
}

/// <summary>Skips, saying how to get them, where Go or Debian's sprig or gojsonschema sources are missing.</summary>
public sealed class ChartRendererTheoryAttribute : TheoryAttribute
{
    public ChartRendererTheoryAttribute() => Skip = Missing;

    internal static string? Missing =>
        ToolRun.OnPath("go") && Directory.Exists(ChartRenderer.Sprig) && Directory.Exists(ChartRenderer.GoJsonSchema)
            ? null
            : "Go, sprig or gojsonschema is missing: apt-get install golang-go golang-github-masterminds-sprig-dev golang-github-ghodss-yaml-dev "
              + "golang-github-xeipuuv-gojsonschema-dev, as .ci/run does.";
}

/// <summary>Skips, saying how to get them, where Go or Debian's sprig or gojsonschema sources are missing.</summary>
public sealed class ChartRendererFactAttribute : FactAttribute
{
    public ChartRendererFactAttribute() => Skip = ChartRendererTheoryAttribute.Missing;
}

