using Xunit;

namespace RagSuite.Testing;

/// <summary>
/// The evaluation data in <c>../shared/data</c> beside the repository (CI has it; a user's clone does
/// not). <c>RAGSUITE_SHARED_DATA</c> overrides the location.
/// </summary>
public static class SharedData
{
    public static string? Root { get; } = Locate();

    public const string AbsentReason = "../shared/data is not beside this repository (set RAGSUITE_SHARED_DATA to its path to run this test)";

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root ?? throw new InvalidOperationException(AbsentReason), .. parts]);

    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("RAGSUITE_SHARED_DATA") is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? configured : null;
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "RagSuite.sln")))
            {
                var data = System.IO.Path.Combine(directory.Parent?.FullName ?? "", "shared", "data");
                return Directory.Exists(data) ? data : null;
            }
        }
        return null;
    }
}

/// <summary>A fact that runs only where the shared evaluation data is present, and says why it skipped otherwise.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Root is null) Skip = SharedData.AbsentReason;
    }
}
