using System.ComponentModel.DataAnnotations;

namespace RagSuite.Gateway;

/// <summary>Limits and defaults of the REST gateway (section <c>RagSuite:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "RagSuite:Gateway";

    /// <summary>Largest request body, JSON or multipart; larger ones get 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 32L * 1024 * 1024;

    [Range(1, 100_000)]
    public int MaxDocumentsPerRequest { get; set; } = 1000;

    /// <summary>Longest document text, in characters; longer ones get 413.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDocumentChars { get; set; } = 5_000_000;

    [Range(1, 1_000_000)]
    public int MaxQuestionChars { get; set; } = 8192;

    /// <summary>
    /// How long a query (or chat completion) may take, every service call together: each call's retries and hedges
    /// stay within what is left, and each service is told the deadline of the attempt it serves.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, 1000)]
    public int DefaultTopK { get; set; } = 5;

    [Range(1, 10_000)]
    public int MaxTopK { get; set; } = 100;

    /// <summary>How many retrieval candidates the reranker sees at least (more when top_k is larger).</summary>
    [Range(1, 10_000)]
    public int RerankCandidates { get; set; } = 50;

    /// <summary>Chunk size, in tokens, of collections created without one.</summary>
    [Range(16, 8192)]
    public int DefaultChunkTokens { get; set; } = 256;

    /// <summary>Overlap between consecutive chunks, in tokens, of collections created without one.</summary>
    [Range(0, 4096)]
    public int DefaultChunkOverlap { get; set; } = 32;

    /// <summary>
    /// Most chunks one document may become. A document's chunks are written in one request (so that
    /// replacing it is atomic), which must stay under the services' 64 MiB gRPC message limit.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxChunksPerDocument { get; set; } = 20_000;

    /// <summary>Texts per call to the embedder during ingestion (also capped by the embedder's own limit).</summary>
    [Range(1, 4096)]
    public int EmbedBatchSize { get; set; } = 64;

    /// <summary>Points per upsert call to the retriever; a document's points always travel together.</summary>
    [Range(1, 100_000)]
    public int UpsertBatchPoints { get; set; } = 512;
}
