namespace RagSuite.Models.Store;

/// <summary>The models <c>ragsuite models pull</c> knows how to fetch and convert.</summary>
public static class ModelCatalog
{
    /// <summary>The default encoder: works offline once pulled, needs no GPU.</summary>
    public const string UseLite = "use-lite";

    public static IReadOnlyList<string> Pullable { get; } = [UseLite];

    public static bool IsPullable(string name) => Pullable.Contains(name, StringComparer.Ordinal);
}
