using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// A point's payload in Qdrant: <c>point_id</c> (our id), <c>document_id</c>, <c>content_hash</c>, <c>chunk_index</c>,
/// <c>text</c>, <c>title</c>, <c>metadata</c> (an object; filters address <c>metadata.&lt;key&gt;</c>) and
/// <c>lineage</c>. One point per document, its first, is the document's head (<c>document_head: true</c>) and carries
/// <c>chunk_count</c>, so documents are counted and described without reading all their points.
/// </summary>
internal static class QdrantPayload
{
    public const string PointId = "point_id";
    public const string DocumentId = "document_id";
    public const string ContentHash = "content_hash";
    public const string ChunkIndex = "chunk_index";
    public const string Text = "text";
    public const string Title = "title";
    public const string Metadata = "metadata";
    public const string Lineage = "lineage";
    public const string DocumentHead = "document_head";
    public const string ChunkCount = "chunk_count";

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static JsonObject For(Point point, string documentId, string contentHash, bool head, int chunkCount)
    {
        var payload = new JsonObject
        {
            [PointId] = point.Id,
            [DocumentId] = documentId,
            [ContentHash] = contentHash,
            [ChunkIndex] = point.ChunkIndex,
            [Text] = point.Text,
            [Title] = point.Title,
            [Metadata] = point.Metadata is null ? new JsonObject() : ToJson(point.Metadata),
            [DocumentHead] = head,
        };
        if (point.Lineage is not null) payload[Lineage] = ToJson(point.Lineage);
        if (head) payload[ChunkCount] = chunkCount;
        return payload;
    }

    /// <summary>The point a payload describes, without vectors (as searches and scrolls return them).</summary>
    public static Point ToPoint(JsonObject payload)
    {
        var point = new Point
        {
            Id = String(payload, PointId),
            DocumentId = String(payload, DocumentId),
            ChunkIndex = payload[ChunkIndex]?.GetValue<int>() ?? 0,
            Text = String(payload, Text),
            Title = String(payload, Title),
        };
        if (payload[Metadata] is JsonObject { Count: > 0 } metadata) point.Metadata = Parser.Parse<Struct>(metadata.ToJsonString());
        if (payload[Lineage] is JsonObject lineage) point.Lineage = Parser.Parse<Lineage>(lineage.ToJsonString());
        return point;
    }

    public static string String(JsonObject payload, string field) => payload[field]?.GetValue<string>() ?? "";

    /// <summary>A protobuf message as JSON with its proto field names (snake_case), as the REST API writes them.</summary>
    public static JsonNode ToJson(IMessage message) => JsonNode.Parse(Formatter.Format(message))!;

    public static T FromJson<T>(JsonNode json) where T : IMessage, new() => Parser.Parse<T>(json.ToJsonString());
}
