using System.Text.Json.Nodes;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>Qdrant's filter: every <c>must</c> holds, no <c>must_not</c> does, at least one <c>should</c> does (when any).</summary>
internal sealed record QdrantFilterBody(List<QdrantCondition>? Must, List<QdrantCondition>? MustNot, List<QdrantCondition>? Should);

/// <summary>
/// One condition: a field match (<c>key</c> with <c>match</c> or <c>range</c>), an id set (<c>has_id</c>), or a nested
/// filter (<c>must</c>/<c>must_not</c>/<c>should</c> at the condition's own level, as Qdrant nests them).
/// </summary>
internal sealed record QdrantCondition(
    string? Key = null,
    QdrantMatch? Match = null,
    QdrantRange? Range = null,
    List<Guid>? HasId = null,
    List<QdrantCondition>? Must = null,
    List<QdrantCondition>? MustNot = null,
    List<QdrantCondition>? Should = null);

/// <summary><c>value</c>: a string or boolean equals; <c>any</c>: one of these strings.</summary>
internal sealed record QdrantMatch(JsonNode? Value = null, List<string>? Any = null);

internal sealed record QdrantRange(double? Gt, double? Gte, double? Lt, double? Lte);
