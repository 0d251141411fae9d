using System.CommandLine;

namespace RagSuite.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "Data directory of the embedded suite (used when --server is not given)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RAGSUITE_DATA") ?? "data",
    };

    public static Option<Uri?> Server() => new("--server")
    {
        Description = "URL of a running gateway; without it the command runs the suite in this process",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RAGSUITE_SERVER") is { Length: > 0 } url ? new Uri(url) : null,
    };

    public static Option<string> Collection(bool required) => new("--collection", "-c")
    {
        Description = "Collection name",
        Required = required,
    };
}
