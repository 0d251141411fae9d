using System.Diagnostics;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests.Deploy;

/// <summary>
/// tools/chart-render, built once per test run with Debian's Go and sprig (offline, GOPATH mode): renders the chart as
/// <c>helm template</c> does, and with <c>-strict</c> fails on a missing key as <c>helm lint --strict</c> does.
/// </summary>
public sealed class ChartRenderer : IDisposable
{
    public const string Sprig = "/usr/share/gocode/src/github.com/Masterminds/sprig";

    private readonly TemporaryDirectory _build = new("ragsuite-chart-render");
    private readonly Lazy<Task<string>> _binary;

    public ChartRenderer() => _binary = new(BuildAsync);

    public static string Chart { get; } = Path.Combine(RepositoryPaths.Root, "charts", "ragsuite");

    /// <summary>Renders <paramref name="chart"/> with the given values files; the exit code and what it printed.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RenderAsync(string chart, bool strict, params string[] valuesFiles)
    {
        string[] arguments = [.. valuesFiles.SelectMany(f => new[] { "-f", f }), .. strict ? new[] { "-strict" } : [], chart];
        return await RunAsync(await _binary.Value, RepositoryPaths.Root, [], arguments);
    }

    private async Task<string> BuildAsync()
    {
        var binary = Path.Combine(_build.Path, "chart-render");
        var (code, output, error) = await RunAsync("go", Path.Combine(RepositoryPaths.Root, "tools", "chart-render"),
            new()
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = $"{Path.Combine(_build.Path, "gopath")}:/usr/share/gocode",
                ["GOCACHE"] = Path.Combine(_build.Path, "cache"),
                ["GOFLAGS"] = "",
            },
            ["build", "-o", binary, "."]);
        if (code != 0) throw new InvalidOperationException($"go build of tools/chart-render failed:\n{output}{error}");
        return binary;
    }

    private static async Task<(int, string, string)> RunAsync(string file, string directory, Dictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    public void Dispose() => _build.Dispose();
}

/// <summary>Skips, saying how to get them, where Go or Debian's sprig sources are missing.</summary>
public sealed class ChartRendererFactAttribute : FactAttribute
{
    public ChartRendererFactAttribute() => Skip = ChartRendererTheoryAttribute.Missing();
}

public sealed class ChartRendererTheoryAttribute : TheoryAttribute
{
    public ChartRendererTheoryAttribute() => Skip = Missing();

    internal static string? Missing()
    {
        var go = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "go")));
        return go && Directory.Exists(ChartRenderer.Sprig)
            ? null
            : "Go or sprig is missing: apt-get install golang-go golang-github-masterminds-sprig-dev golang-github-ghodss-yaml-dev, as .ci/run does.";
    }
}
