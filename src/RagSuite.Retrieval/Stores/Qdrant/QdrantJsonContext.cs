using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>Every response of Qdrant's REST API: <c>result</c>, <c>status</c> ("ok", or <c>{"error": ...}</c>) and <c>time</c>.</summary>
internal sealed record QdrantResponse<T>(T? Result, JsonNode? Status);

/// <summary>The Qdrant bodies, serialised by source generation in Qdrant's snake_case, leaving out absent (null) fields.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QdrantCreateCollection))]
[JsonSerializable(typeof(QdrantPayloadIndex))]
[JsonSerializable(typeof(QdrantUpsert))]
[JsonSerializable(typeof(QdrantDeletePoints))]
[JsonSerializable(typeof(QdrantSetPayload))]
[JsonSerializable(typeof(QdrantRetrieve))]
[JsonSerializable(typeof(QdrantCount))]
[JsonSerializable(typeof(QdrantScroll))]
[JsonSerializable(typeof(QdrantQuery))]
[JsonSerializable(typeof(QdrantQueryBatch))]
[JsonSerializable(typeof(QdrantRrfQuery))]
[JsonSerializable(typeof(QdrantSparseVector))]
[JsonSerializable(typeof(QdrantCatalogEntry))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(QdrantResponse<bool>))]
[JsonSerializable(typeof(QdrantResponse<QdrantCollectionList>))]
[JsonSerializable(typeof(QdrantResponse<QdrantCollectionInfo>))]
[JsonSerializable(typeof(QdrantResponse<QdrantUpdateResult>))]
[JsonSerializable(typeof(QdrantResponse<QdrantCountResult>))]
[JsonSerializable(typeof(QdrantResponse<QdrantScrollResult>))]
[JsonSerializable(typeof(QdrantResponse<QdrantQueryResult>))]
[JsonSerializable(typeof(QdrantResponse<List<QdrantQueryResult>>))]
[JsonSerializable(typeof(QdrantResponse<List<QdrantRecord>>))]
[JsonSerializable(typeof(QdrantResponse<JsonNode>))]
internal sealed partial class QdrantJsonContext : JsonSerializerContext;
