namespace RagSuite.Bench.Peers.Dense;

/// <summary>The file names of a cached vector set in its folder.</summary>
public static class DenseFiles
{
    public const string Documents = "documents.f32";
    public const string Queries = "queries.f32";
}
