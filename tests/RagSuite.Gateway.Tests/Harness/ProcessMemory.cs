using System.Globalization;

namespace RagSuite.Gateway.Tests.Harness;

/// <summary>A process's resident set as the kernel reports it (VmRSS in /proc/PID/status), which is what an operator's limit acts on.</summary>
internal static class ProcessMemory
{
    public static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"/proc/{processId}/status has no VmRSS line (has the process exited?)");
        // "VmRSS:    123456 kB"
        var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes * 1024;
    }
}
