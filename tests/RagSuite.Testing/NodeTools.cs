namespace RagSuite.Testing;

/// <summary>Node.js and npm on PATH, for tests that fetch npm packages or run JavaScript reference code.</summary>
public static class NodeTools
{
    public static string? Npm { get; } = Find("npm");

    public static string? Node { get; } = Find("node");

    /// <summary>Why JavaScript reference code cannot run here, or null when npm and node are both on PATH.</summary>
    public static string? Unavailable => (Npm, Node) switch
    {
        (null, _) => "npm is not on PATH, so this test cannot install the npm packages it runs (install Node.js with npm to run it)",
        (_, null) => "npm is on PATH but node is not, so this test cannot start the JavaScript it runs",
        _ => null,
    };

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
