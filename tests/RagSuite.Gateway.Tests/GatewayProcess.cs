using System.Diagnostics;
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
