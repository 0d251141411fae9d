using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// Our <see cref="Filter"/> as a Qdrant filter, with <see cref="MetadataFilter"/>'s meaning: a key addresses
/// <c>metadata.&lt;key&gt;</c> in the payload, or the point's <c>document_id</c>; Qdrant, like the embedded store,
/// matches a list-valued field when any element does and lets a point without the field pass <c>must_not</c>.
/// </summary>
internal static class QdrantFilter
{
    /// <summary>The filter, or null when it has no condition.</summary>
    public static QdrantFilterBody? From(Filter? filter) =>
        MetadataFilter.IsEmpty(filter) ? null : new QdrantFilterBody(Conditions(filter!.Must), Conditions(filter.MustNot), Conditions(filter.Should));

    /// <summary>Conditions that all hold: <paramref name="extra"/> added to a filter's <c>must</c> (the filter nested when it has other parts).</summary>
    public static QdrantFilterBody And(QdrantFilterBody? filter, params QdrantCondition[] extra)
    {
        var must = new List<QdrantCondition>(extra);
        if (filter is not null) must.Add(new QdrantCondition(Must: filter.Must ?? [], MustNot: filter.MustNot, Should: filter.Should));
        return new QdrantFilterBody(must, null, null);
    }

    public static QdrantCondition Equal(string payloadKey, string value) => new(payloadKey, new QdrantMatch(JsonValue.Create(value)));

    public static QdrantCondition Equal(string payloadKey, bool value) => new(payloadKey, new QdrantMatch(JsonValue.Create(value)));

    public static QdrantCondition AnyOf(string payloadKey, IEnumerable<string> values) => new(payloadKey, new QdrantMatch(Any: [.. values]));

    public static QdrantCondition HasId(IEnumerable<Guid> ids) => new(HasId: [.. ids]);

    /// <summary>The payload field a filter key addresses.</summary>
    public static string PayloadKey(string key) => key == MetadataFilter.DocumentIdKey ? QdrantPayload.DocumentId : $"{QdrantPayload.Metadata}.{key}";

    private static List<QdrantCondition>? Conditions(Google.Protobuf.Collections.RepeatedField<Condition> conditions) => conditions.Count == 0 ? null : [.. conditions.Select(Translate)];

    private static QdrantCondition Translate(Condition condition)
    {
        if (condition.MatchCase == Condition.MatchOneofCase.Filter)
        {
            var nested = condition.Filter ?? new Filter();
            // An empty nested filter accepts every point; Qdrant reads an empty must as that.
            return new QdrantCondition(Must: Conditions(nested.Must) ?? [], MustNot: Conditions(nested.MustNot), Should: Conditions(nested.Should));
        }
        var key = PayloadKey(condition.Key);
        return condition.MatchCase switch
        {
            Condition.MatchOneofCase.Equals_ => Value(key, condition.Equals_),
            Condition.MatchOneofCase.AnyOf => AnyOf(key, condition.AnyOf.Values),
            Condition.MatchOneofCase.Range => new QdrantCondition(key, Range: new QdrantRange(
                condition.Range.HasGt ? condition.Range.Gt : null, condition.Range.HasGte ? condition.Range.Gte : null,
                condition.Range.HasLt ? condition.Range.Lt : null, condition.Range.HasLte ? condition.Range.Lte : null)),
            _ => Nothing,
        };
    }

    /// <summary>
    /// Equality on a value. Qdrant's <c>match value</c> takes strings, integers and booleans but not fractions, so a
    /// number is matched as the closed range [x, x], which holds for integers and fractions alike.
    /// </summary>
    private static QdrantCondition Value(string key, Value value) => value.KindCase switch
    {
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue => new QdrantCondition(key, new QdrantMatch(JsonValue.Create(value.StringValue))),
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.BoolValue => new QdrantCondition(key, new QdrantMatch(JsonValue.Create(value.BoolValue))),
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue => new QdrantCondition(key, Range: new QdrantRange(null, value.NumberValue, null, value.NumberValue)),
        // Null, list and struct values equal nothing in the embedded store either.
        _ => Nothing,
    };

    private static QdrantCondition AnyOf(string key, Google.Protobuf.Collections.RepeatedField<Value> values)
    {
        if (values.Count > 0 && values.All(v => v.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue))
        {
            return AnyOf(key, values.Select(v => v.StringValue));
        }
        // Numbers and booleans (or a mix): one of several equalities.
        return values.Count == 0 ? Nothing : new QdrantCondition(Should: [.. values.Select(v => Value(key, v))]);
    }

    /// <summary>A condition no point meets (an empty id set), for values that can equal nothing.</summary>
    private static QdrantCondition Nothing => new(HasId: []);
}
