using System.Globalization;

namespace RagSuite.Bench.Peers.Measurement;

/// <summary>
/// Resident memory of a process, read from /proc (Linux). Servers are found by the TCP port they listen on, so a
/// benchmark needs no PID from whoever started them: the listening socket's inode is looked up in /proc/net/tcp and
/// then among the file descriptors of the processes this user may read.
/// </summary>
public static class ProcessMemory
{
    /// <summary>VmRSS of the process in bytes, or null when it cannot be read (gone, or not Linux).</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    public static long OwnResidentBytes() => ResidentBytes(Environment.ProcessId) ?? 0;

    /// <summary>The process listening on <paramref name="port"/> on this machine, or null when none can be seen.</summary>
    public static int? ListeningOn(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st ... inode: local is HEXADDR:HEXPORT, state 0A is LISTEN.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != "0A") continue;
                var localPort = int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port) inodes.Add($"socket:[{fields[9]}]");
            }
        }
        if (inodes.Count == 0) return null;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)) return pid;
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }

    /// <summary>The server behind <paramref name="url"/>, when it runs on this machine.</summary>
    public static int? ServerOf(Uri url) => url.IsLoopback || url.Host is "localhost" ? ListeningOn(url.Port) : null;

    public static double Mebibytes(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>"123 MiB", or "unknown" when the process could not be read.</summary>
    public static string Describe(double? mebibytes) => mebibytes is { } m ? $"{m:N0} MiB" : "unknown";
}
