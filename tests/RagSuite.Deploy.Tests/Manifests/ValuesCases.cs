using RagSuite.Testing;

namespace RagSuite.Deploy.Tests.Manifests;

/// <summary>
/// The values every rendered-manifest check runs over: the chart's defaults alone, each environment's file, and
/// <c>values/all-features.yaml</c> over prod, which turns on every optional feature so that no template escapes the checks.
/// </summary>
public static class ValuesCases
{
    public const string Defaults = "values.yaml";
    public const string Dev = "values-dev.yaml";
    public const string Staging = "values-staging.yaml";
    public const string Prod = "values-prod.yaml";
    public const string AllFeatures = "all-features";

    public static string AllFeaturesFile { get; } = Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Deploy.Tests", "values", "all-features.yaml");

    public static TheoryData<string> All => [Defaults, Dev, Staging, Prod, AllFeatures];

    /// <summary>The -f files of a case, in order (values.yaml itself is always the base).</summary>
    public static string[] Files(string name) => name switch
    {
        Defaults => [],
        Dev or Staging or Prod => [Path.Combine(ChartRenderer.Chart, name)],
        AllFeatures => [Path.Combine(ChartRenderer.Chart, Prod), AllFeaturesFile],
        _ => throw new ArgumentException($"No values case {name}.", nameof(name)),
    };
}
