using System.Diagnostics;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// One replica of a service host (<c>RagSuite.Retriever.dll</c>, …) run as a process of its own on fixed loopback ports,
/// so that it can be killed outright (SIGKILL, as the kernel's OOM killer or a node failure does) and started again on
/// the same address, as a restarted pod comes back behind its Service.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly string _assembly;
    private readonly string[] _settings;
    private Process? _process;

    public ServiceProcess(string role, int replica, params string[] settings)
    {
        Role = role;
        Replica = replica;
        _assembly = Path.Combine(AppContext.BaseDirectory, $"RagSuite.{role}.dll");
        _settings = settings;
    }

    public string Role { get; }

    public int Replica { get; }

    public int HttpPort { get; } = FreePorts.Next();

    public int GrpcPort { get; } = FreePorts.Next();

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                _assembly,
                "--RagSuite:Hosting:BindAddress=127.0.0.1",
                $"--RagSuite:Hosting:HttpPort={HttpPort}",
                $"--RagSuite:Hosting:GrpcPort={GrpcPort}",
                "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var setting in _settings) start.ArgumentList.Add(setting);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Role} replica {Replica} did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown, no drain; open connections are reset by the kernel.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    /// <summary>Waits until the replica's <c>/readyz</c> answers 200 (at most <paramref name="limit"/>).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan limit)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{Role} replica {Replica} was not ready within {limit.TotalSeconds:0} s.");
    }

    public void Dispose()
    {
        if (_process is { HasExited: false }) Kill();
        _process?.Dispose();
    }
}
