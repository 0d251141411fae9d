using System.Text.RegularExpressions;

namespace RagSuite.Retrieval;

/// <summary>What a collection may be called: it names a directory, a URL segment and a Qdrant collection.</summary>
public static partial class CollectionNames
{
    public const string Rule = "1-64 characters: letters, digits, '_', '-' or '.', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    // \z, not $: '$' also matches before a final '\n', which let "docs\n" through to create a directory.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
