using System.Diagnostics;
using System.Globalization;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests;

/// <summary>The built gateway started as a child process of its own, so a test can kill it outright.</summary>
internal static class GatewayProcess
{
    public static Process Start(string dataDirectory, out Uri address, params string[] settings) =>
        Start(dataDirectory, out address, onOutput: null, settings);

    /// <param name="onOutput">Given each line the gateway writes to standard output or standard error.</param>
    public static Process Start(string dataDirectory, out Uri address, Action<string>? onOutput, params string[] settings)
    {
        var port = FreePorts.Next();
        address = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "RagSuite.Gateway.dll"),
                "--RagSuite:Hosting:BindAddress=127.0.0.1",
                $"--RagSuite:Hosting:HttpPort={port}",
                $"--RagSuite:Retriever:DataDirectory={dataDirectory}",
                "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        var process = new Process { StartInfo = start };
        if (onOutput is not null)
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onOutput(line); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) onOutput(line); };
        }
        if (!process.Start()) throw new InvalidOperationException("The gateway process did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Stops the gateway as Kubernetes or a terminal would, with SIGTERM: the host shuts down, and disposing its logger
    /// makes the console logger write out the entries still in its queue, which a kill (SIGKILL) would throw away. Returns
    /// once the process has exited and both output streams have reached their end, so every line the gateway wrote has
    /// been handed to the output callback. A gateway still running after <paramref name="grace"/> is killed.
    /// </summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (!process.HasExited && !OperatingSystem.IsWindows())
        {
            using var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]));
            if (signal is not null) await signal.WaitForExitAsync();
        }
        else if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return;
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException("The gateway process did not become ready within 60 s.");
            await Task.Delay(100);
        }
    }
}
