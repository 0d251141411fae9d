using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>
/// A Chroma server this benchmark runs itself (<c>chroma run --path DIR --host 127.0.0.1 --port P</c>), so it can
/// restart it: Chroma reads a collection's search breadth (ef_search) when it loads the index, so a changed breadth
/// takes effect only after a restart. Stopped with SIGINT, which Chroma's CLI handles by exiting cleanly.
/// </summary>
public sealed class ChromaServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _executable;
    private readonly string _dataPath;
    private readonly string _logPath;
    private Process? _process;

    public ChromaServer(string executable, string dataPath)
    {
        _executable = Path.GetFullPath(executable);
        _dataPath = dataPath;
        _logPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataPath))!, "chroma.log");
        Url = new Uri($"http://127.0.0.1:{FreePort()}");
    }

    public Uri Url { get; }

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable)
        {
            ArgumentList = { "run", "--path", _dataPath, "--host", "127.0.0.1", "--port", Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{_executable}'.");
        var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Chroma exited with code {_process.ExitCode} at start; see {_logPath}.");
            try
            {
                using var response = await http.GetAsync("api/v2/heartbeat", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            await Task.Delay(200, cancellationToken);
        }
        throw new InvalidOperationException($"Chroma did not answer on {Url} within {StartTimeout.TotalSeconds} s; see {_logPath}.");
    }

    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited)
        {
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await interrupt.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        process.Dispose();
    }

    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        await StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
