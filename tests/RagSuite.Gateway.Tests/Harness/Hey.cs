using System.Diagnostics;
using System.Globalization;

namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// The HTTP load generator <c>hey</c> (Debian package <c>hey</c>, github.com/rakyll/hey), run for a fixed number of
/// requests and read back from its per-request CSV.
/// </summary>
/// <remarks>
/// The run is bounded by <c>-n</c> (requests) rather than <c>-z</c> (time): hey's CSV has a row only for requests that got
/// a response and leaves transport errors out, so a known number sent is what makes "sent − rows" an exact error count.
/// Each worker waits for its rate limiter's tick before each request, so <c>-n</c> at <c>-q</c> lasts n / (c × q) seconds.
/// </remarks>
internal static class Hey
{
    public static string? Program { get; } = Find("hey");

    public static string? Unavailable => Program is null
        ? "hey is not on PATH, so the load harness cannot drive the gateway (install it: apt-get install -y hey)"
        : null;

    /// <summary>Sends <paramref name="requests"/> POSTs of <paramref name="body"/> from <paramref name="workers"/> workers, each at most <paramref name="perWorkerRate"/> per second.</summary>
    public static async Task<HeyRun> PostAsync(Uri url, string body, int requests, int workers, double perWorkerRate, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Program ?? throw new InvalidOperationException(Unavailable))
        {
            ArgumentList =
            {
                "-n", requests.ToString(CultureInfo.InvariantCulture),
                "-c", workers.ToString(CultureInfo.InvariantCulture),
                "-q", perWorkerRate.ToString("0.###", CultureInfo.InvariantCulture),
                "-t", "10", // seconds; a request this slow is a failure however it ends
                "-m", "POST",
                "-T", "application/json",
                "-d", body,
                "-o", "csv",
                url.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("hey did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hey ran past {timeout.TotalSeconds:0} s for {requests} requests; stderr: {await errors}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"hey exited with {process.ExitCode}: {await errors}");
        return HeyRun.FromCsv(requests, await output);
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
