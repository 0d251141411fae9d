using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
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
        if (!process.Start()) throw new InvalidOperationException("The gateway process did not start.");
        // Each stream is read by a thread of its own rather than by BeginOutputReadLine, whose reads wait for the thread
        // pool: on a loaded run (a whole suite beside this test) the pool can fall far enough behind that the gateway's
        // pipe fills, its console logger blocks on the write, and the entries a test looks for sit in the logger's queue.
        Thread[] readers = [Drain(process.StandardOutput, onOutput), Drain(process.StandardError, onOutput)];
        Readers.Add(process, readers);
        return process;
    }

    private static readonly ConditionalWeakTable<Process, Thread[]> Readers = new();

    private static Thread Drain(StreamReader stream, Action<string>? onOutput)
    {
        var thread = new Thread(() =>
        {
            try
            {
                while (stream.ReadLine() is { } line) onOutput?.Invoke(line);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The process was disposed while it still wrote: nothing is left to hand on.
            }
        })
        { IsBackground = true, Name = "gateway output" };
        thread.Start();
        return thread;
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
        using (var timeout = new CancellationTokenSource(grace))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        // The pipes reach their end once the gateway has exited; the readers have then handed on every line.
        if (Readers.TryGetValue(process, out var readers))
        {
            await Task.Run(() => { foreach (var reader in readers) reader.Join(TimeSpan.FromSeconds(30)); });
        }
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
