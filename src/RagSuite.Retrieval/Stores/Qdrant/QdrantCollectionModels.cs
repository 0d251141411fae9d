namespace RagSuite.Retrieval.Stores.Qdrant;

// Collection bodies of Qdrant's REST API (PUT /collections/{name}, PUT /collections/{name}/index, GET /collections).

/// <summary>
/// Named dense vectors and named sparse vectors of a new collection, and its distribution over a cluster (shards, copies
/// of each, copies a write must reach); a null distribution field is left out, so the server's default applies.
/// </summary>
internal sealed record QdrantCreateCollection(
    Dictionary<string, QdrantDenseVectorParams> Vectors,
    Dictionary<string, QdrantSparseVectorParams>? SparseVectors,
    int? ShardNumber = null,
    int? ReplicationFactor = null,
    int? WriteConsistencyFactor = null);

/// <summary>A dense vector's size, distance (<c>Cosine</c> or <c>Dot</c>), HNSW parameters and quantisation (null: Qdrant's defaults).</summary>
internal sealed record QdrantDenseVectorParams(int Size, string Distance, QdrantHnswConfig? HnswConfig, QdrantQuantization? QuantizationConfig);

/// <summary>Int8 scalar quantisation: the graph is searched on int8 copies, the best candidates rescored in float.</summary>
internal sealed record QdrantQuantization(QdrantScalarQuantization Scalar);

internal sealed record QdrantScalarQuantization(string Type, bool? AlwaysRam);

internal sealed record QdrantHnswConfig(int? M, int? EfConstruct);

/// <summary>A sparse vector; <c>modifier: "idf"</c> has Qdrant weigh each query term by its inverse document frequency.</summary>
internal sealed record QdrantSparseVectorParams(string? Modifier);

/// <summary>A payload index on one field.</summary>
internal sealed record QdrantPayloadIndex(string FieldName, QdrantIndexSchema FieldSchema);

/// <summary>
/// An index's type (<c>keyword</c>, <c>bool</c>); <c>is_tenant</c> (keyword only) has Qdrant lay points out by this
/// field's value, for per-tenant searches.
/// </summary>
internal sealed record QdrantIndexSchema(string Type, bool? IsTenant = null);

internal sealed record QdrantCollectionList(List<QdrantCollectionName> Collections);

internal sealed record QdrantCollectionName(string Name);

/// <summary>What this store reads of GET /collections/{name}.</summary>
internal sealed record QdrantCollectionInfo(string? Status, long? PointsCount);
