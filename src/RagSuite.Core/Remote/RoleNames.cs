namespace RagSuite.Core.Remote;

/// <summary>The four service roles, as named in configuration, logs and errors.</summary>
public static class RoleNames
{
    public const string Embedder = "Embedder";
    public const string Retriever = "Retriever";
    public const string Reranker = "Reranker";
    public const string Generator = "Generator";
}
