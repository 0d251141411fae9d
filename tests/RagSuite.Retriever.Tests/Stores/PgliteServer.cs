using System.Diagnostics;
using System.Net.Sockets;
using RagSuite.Testing;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>
/// PostgreSQL with pgvector for the pgvector store's tests: PGlite's socket server from npm (the versions that
/// <c>pglite/package-lock.json</c> pins; <c>.ci/run</c> installs them, and a first run here installs them when npm can),
/// in memory, on a free loopback port, one per test class. It serves one connection at a time, so clients connect
/// without pooling. It is killed on dispose, and shuts itself down when the test process ends however it ends: its
/// <c>--run</c> child waits for this process, and the server stops when that child exits.
/// </summary>
public sealed class PgliteServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private readonly Queue<string> _output = new();
    private Process? _process;

    public static string Folder { get; } = Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Retriever.Tests", "pglite");

    private static string Script => Path.Combine(Folder, "node_modules", "@electric-sql", "pglite-socket", "dist", "scripts", "server.js");

    /// <summary>Why the server is not running here, or null when it is.</summary>
    public string? Unavailable { get; private set; }

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Unavailable = NodeTools.Unavailable ?? await InstallAsync();
        if (Unavailable is null) Unavailable = await StartAsync();
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Installs the locked packages when they are missing; the reason it could not, or null.</summary>
    private static async Task<string?> InstallAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(Script)) return null;
            using var npm = Process.Start(new ProcessStartInfo(NodeTools.Npm!, ["ci", "--no-audit", "--no-fund"])
            {
                WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var errors = npm.StandardError.ReadToEndAsync();
            _ = npm.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await npm.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                npm.Kill(entireProcessTree: true);
                return $"'npm ci' in {Folder} took over 3 minutes (is the npm registry reachable?)";
            }
            return npm.ExitCode == 0 && File.Exists(Script)
                ? null
                : $"'npm ci' in {Folder} failed (exit code {npm.ExitCode}), so PGlite with pgvector cannot run: {Tail(await errors)}";
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private async Task<string?> StartAsync()
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo(NodeTools.Node!,
            [Script, "--host=127.0.0.1", $"--port={port}", "--db=memory://", "--extensions=@electric-sql/pglite-pgvector:vector"])
        {
            WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        if (OperatingSystem.IsLinux()) start.ArgumentList.Add($"--run=tail --pid={Environment.ProcessId} -f /dev/null");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) return $"pglite-server exited (code {_process.ExitCode}) before it listened: {Output()}";
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres;Pooling=false;Timeout=30;Command Timeout=120";
                return null;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        return $"pglite-server did not listen on port {port} within {StartTimeout.TotalSeconds:0} s: {Output()}";
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 20) _output.Dequeue();
        }
    }

    private string Output()
    {
        lock (_output) return string.Join(" | ", _output);
    }

    private static string Tail(string text) => text.Length <= 600 ? text.Trim() : "…" + text[^600..].Trim();
}
