namespace RagSuite.Testing;

/// <summary>Node.js and npm on PATH, for tests that fetch npm packages or run JavaScript reference code.</summary>
public static class NodeTools
{
    public static string? Npm { get; } = Find("npm");

    public static string? Node { get; } = Find("node");

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
