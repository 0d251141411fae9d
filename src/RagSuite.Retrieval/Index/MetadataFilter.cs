using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// Evaluates a <see cref="Filter"/> against a point: every <c>must</c> condition holds and no
/// <c>must_not</c> condition does. A condition's key names a metadata field, or <c>document_id</c>;
/// a list-valued field matches when any of its elements does.
/// </summary>
internal static class MetadataFilter
{
    public const string DocumentIdKey = "document_id";

    public static void Validate(Filter? filter, ValidationErrors errors)
    {
        if (filter is null) return;
        foreach (var (conditions, name) in new[] { (filter.Must, "must"), (filter.MustNot, "must_not") })
        {
            for (var i = 0; i < conditions.Count; i++)
            {
                var field = $"filter.{name}[{i}]";
                var condition = conditions[i];
                errors.AddIf(string.IsNullOrWhiteSpace(condition.Key), field, "key is empty");
                errors.AddIf(condition.MatchCase == Condition.MatchOneofCase.None, field, "has no equals, any_of or range");
                if (condition.MatchCase == Condition.MatchOneofCase.Range)
                {
                    var r = condition.Range;
                    errors.AddIf(!r.HasGt && !r.HasGte && !r.HasLt && !r.HasLte, field, "range has no bound");
                }
            }
        }
    }

    public static Func<Point, bool> Compile(Filter? filter)
    {
        if (filter is null || filter.Must.Count + filter.MustNot.Count == 0) return static _ => true;
        return point => filter.Must.All(c => Matches(c, point)) && !filter.MustNot.Any(c => Matches(c, point));
    }

    private static bool Matches(Condition condition, Point point)
    {
        var value = condition.Key == DocumentIdKey
            ? Value.ForString(point.DocumentId)
            : point.Metadata?.Fields.GetValueOrDefault(condition.Key);
        if (value is null) return false;
        var candidates = value.KindCase == Value.KindOneofCase.ListValue ? value.ListValue.Values : [value];
        return candidates.Any(v => condition.MatchCase switch
        {
            Condition.MatchOneofCase.Equals_ => SameValue(v, condition.Equals_),
            Condition.MatchOneofCase.AnyOf => condition.AnyOf.Values.Any(a => SameValue(v, a)),
            Condition.MatchOneofCase.Range => InRange(v, condition.Range),
            _ => false,
        });
    }

    private static bool SameValue(Value a, Value b) => (a.KindCase, b.KindCase) switch
    {
        (Value.KindOneofCase.StringValue, Value.KindOneofCase.StringValue) => a.StringValue == b.StringValue,
        (Value.KindOneofCase.NumberValue, Value.KindOneofCase.NumberValue) => a.NumberValue.Equals(b.NumberValue),
        (Value.KindOneofCase.BoolValue, Value.KindOneofCase.BoolValue) => a.BoolValue == b.BoolValue,
        _ => false,
    };

    private static bool InRange(Value value, Contracts.V1.Range range)
    {
        if (value.KindCase != Value.KindOneofCase.NumberValue) return false;
        var x = value.NumberValue;
        return (!range.HasGt || x > range.Gt) && (!range.HasGte || x >= range.Gte)
            && (!range.HasLt || x < range.Lt) && (!range.HasLte || x <= range.Lte);
    }
}
