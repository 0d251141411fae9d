using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RagSuite.Testing;

namespace RagSuite.Models.Tests;

/// <summary>
/// USE-lite's own TF.js runtime, run live by Node: <c>TfjsReference/embed.mjs</c> in this project's source folder,
/// with the exact package versions its <c>package-lock.json</c> pins. The packages are installed once per clone into
/// that folder's <c>node_modules</c> (ignored by git, never copied to the build output): <c>npm ci</c> runs in a
/// private staging folder beside it and its <c>node_modules</c> is then moved into place in one step, so test runs
/// side by side never see a half-installed tree, and an interrupted install leaves nothing that looks complete.
/// </summary>
internal static class TfjsReferenceRuntime
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Folder { get; } = Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Models.Tests", "TfjsReference");

    private static string NodeModules => Path.Combine(Folder, "node_modules");

    /// <summary>The package's ids and embeddings for <paramref name="sentences"/>, installing the packages first if they are missing.</summary>
    public static async Task<TfjsReferenceOutput> EmbedAsync(IReadOnlyList<string> sentences)
    {
        await EnsureInstalledAsync();
        using var work = new TemporaryDirectory("ragsuite-tfjs");
        var input = Path.Combine(work.Path, "sentences.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(sentences), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        var (exitCode, output, errors) = await RunAsync(Node(), ["embed.mjs", input], Folder, RunTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'node embed.mjs' in {Folder} failed (exit code {exitCode}): {Tail(errors)}");
        }
        return JsonSerializer.Deserialize<TfjsReferenceOutput>(output)
            ?? throw new InvalidOperationException($"'node embed.mjs' printed no result: {Tail(errors)}");
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (Directory.Exists(NodeModules)) return;
            var staging = Path.Combine(Folder, $".install-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            try
            {
                File.Copy(Path.Combine(Folder, "package.json"), Path.Combine(staging, "package.json"));
                File.Copy(Path.Combine(Folder, "package-lock.json"), Path.Combine(staging, "package-lock.json"));
                var npm = NodeTools.Npm ?? throw new InvalidOperationException(NodeTools.Unavailable);
                var (exitCode, _, errors) = await RunAsync(npm, ["ci", "--no-audit", "--no-fund"], staging, InstallTimeout);
                if (exitCode != 0)
                {
                    throw new InvalidOperationException(
                        $"npm is installed but 'npm ci --no-audit --no-fund' for {Folder} failed (exit code {exitCode}); is the npm registry reachable? {Tail(errors)}");
                }
                try
                {
                    Directory.Move(Path.Combine(staging, "node_modules"), NodeModules);
                }
                catch (IOException) when (Directory.Exists(NodeModules))
                {
                    // Another test run installed the same locked packages first; use its copy.
                }
            }
            finally
            {
                RemoveStaging(staging);
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static void RemoveStaging(string staging)
    {
        try
        {
            Directory.Delete(staging, recursive: true);
        }
        catch (IOException)
        {
            // Left behind (git ignores .install-*); the next install uses a fresh folder of its own.
        }
    }

    private static string Node() => NodeTools.Node ?? throw new InvalidOperationException(NodeTools.Unavailable);

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, string[] arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Path.GetFileName(program)} {string.Join(' ', arguments)}' in {directory} ran past {timeout}: {Tail(await errors)}");
        }
        return (process.ExitCode, await output, await errors);
    }

    private static string Tail(string text) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(12));
}
