using System.Text.Json.Nodes;

namespace RagSuite.Retrieval.Stores.Qdrant;

// Point bodies of Qdrant's REST API: upsert, delete, set payload, retrieve, count and scroll.

/// <summary>A point: its UUID, its named vectors and its payload.</summary>
internal sealed record QdrantPoint(Guid Id, QdrantPointVectors Vector, JsonObject Payload);

/// <summary>The named vectors <c>dense</c> and <c>sparse</c> (either may be absent).</summary>
internal sealed record QdrantPointVectors(float[]? Dense, QdrantSparseVector? Sparse);

internal sealed record QdrantSparseVector(uint[] Indices, float[] Values);

internal sealed record QdrantUpsert(IReadOnlyList<QdrantPoint> Points);

/// <summary>Deletes the listed points, or those the filter matches.</summary>
internal sealed record QdrantDeletePoints(IReadOnlyList<Guid>? Points, QdrantFilterBody? Filter);

/// <summary>Sets payload fields (others are kept) on the listed points or those the filter matches.</summary>
internal sealed record QdrantSetPayload(JsonObject Payload, IReadOnlyList<Guid>? Points, QdrantFilterBody? Filter);

/// <summary>Reads points by id; <c>with_payload</c> is true or a list of the fields wanted.</summary>
internal sealed record QdrantRetrieve(IReadOnlyList<Guid> Ids, JsonNode WithPayload, bool WithVector);

internal sealed record QdrantCount(QdrantFilterBody? Filter, bool Exact);

internal sealed record QdrantCountResult(long Count);

/// <summary>One page of points in Qdrant's id order, from <c>offset</c> (a point id) on.</summary>
internal sealed record QdrantScroll(QdrantFilterBody? Filter, int Limit, Guid? Offset, JsonNode WithPayload, bool WithVector);

internal sealed record QdrantScrollResult(List<QdrantRecord> Points, Guid? NextPageOffset);

/// <summary>A point as Qdrant returns it: id, score (from queries) and payload.</summary>
internal sealed record QdrantRecord(Guid Id, float? Score, JsonObject? Payload);

/// <summary>What an update answers: its operation and whether it completed (<c>wait=true</c>).</summary>
internal sealed record QdrantUpdateResult(long? OperationId, string? Status);
