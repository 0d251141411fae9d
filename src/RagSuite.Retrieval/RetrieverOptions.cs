using System.ComponentModel.DataAnnotations;

namespace RagSuite.Retrieval;

/// <summary>The retriever's store and limits (section <c>RagSuite:Retriever</c>).</summary>
public sealed class RetrieverOptions
{
    public const string Section = "RagSuite:Retriever";

    public const string EmbeddedStore = "embedded";

    /// <summary>Which vector store holds the collections: <c>embedded</c> (under <see cref="DataDirectory"/>), <c>pgvector</c> (RagSuite:Pgvector) or <c>qdrant</c> (RagSuite:Qdrant).</summary>
    [Required]
    public string Store { get; set; } = EmbeddedStore;

    /// <summary>Where collections live; relative paths resolve against the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest top_k a search may ask for.</summary>
    [Range(1, 100_000)]
    public int MaxTopK { get; set; } = 1000;

    /// <summary>Largest dense dimension a collection may declare.</summary>
    [Range(1, 65_536)]
    public int MaxDenseDimension { get; set; } = 8192;

    /// <summary>A collection's log continues in a new segment file once the current one passes this size.</summary>
    [Range(4096, 1L << 30)]
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The index is checkpointed to disk (so a restart need not replay the log) after this much has been logged since
    /// the last checkpoint, or half the last checkpoint's size if that is more.
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long CheckpointBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How hybrid search fuses its dense and sparse rankings when a request leaves it to the retriever: <c>Rrf</c> or
    /// <c>Weighted</c>. Weighted at a dense share of 0.3 scored best across Cranfield and XQuAD with USE-lite (README).
    /// </summary>
    public Contracts.V1.FusionMode DefaultFusion { get; set; } = Contracts.V1.FusionMode.Weighted;

    /// <summary>The dense ranking's share in fusion when a request sets none (0 exclusive to 1).</summary>
    [Range(0.001, 1.0)]
    public float DefaultDenseWeight { get; set; } = 0.3f;

    /// <summary>k of reciprocal-rank fusion, 1/(k + rank), when a request sets none.</summary>
    [Range(1, 10_000)]
    public int DefaultRrfK { get; set; } = 60;

    /// <summary>
    /// Flush every acknowledged write to stable storage (fsync). Turning it off trades the
    /// no-lost-acknowledged-write guarantee for speed, for throw-away data such as benchmarks.
    /// </summary>
    public bool SyncWrites { get; set; } = true;

    /// <summary>
    /// Label the retriever's metrics with the collection's name. Off by default: collections are created through the
    /// API, by anyone who may ingest, so their names are an open-ended set, and each one would multiply every series in
    /// Prometheus. Turn it on where collections are few and fixed.
    /// </summary>
    public bool CollectionMetricLabels { get; set; }
}
