namespace RagSuite.Testing;

/// <summary>Where the repository is, for tests that start a built host as a separate process.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Locate();

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RagSuite.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No RagSuite.sln above {AppContext.BaseDirectory}.");
    }
}
