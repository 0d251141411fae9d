using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// Evaluates a <see cref="Filter"/> against a point: every <c>must</c> condition holds, no <c>must_not</c> condition
/// does, and at least one <c>should</c> condition does when there are any. A condition's key names a metadata field, or
/// <c>document_id</c>; a list-valued field matches when any of its elements does; a nested filter nests and, or and not.
/// </summary>
internal static class MetadataFilter
{
    public const string DocumentIdKey = "document_id";

    /// <summary>How deep filters may nest; deeper ones are refused rather than walked.</summary>
    public const int MaxDepth = 4;

    public static void Validate(Filter? filter, ValidationErrors errors) => Validate(filter, "filter", 0, errors);

    private static void Validate(Filter? filter, string path, int depth, ValidationErrors errors)
    {
        if (filter is null) return;
        if (depth > MaxDepth)
        {
            errors.Add(path, $"nests deeper than {MaxDepth} filters");
            return;
        }
        foreach (var (conditions, name) in new[] { (filter.Must, "must"), (filter.MustNot, "must_not"), (filter.Should, "should") })
        {
            for (var i = 0; i < conditions.Count; i++)
            {
                var field = $"{path}.{name}[{i}]";
                var condition = conditions[i];
                if (condition.MatchCase == Condition.MatchOneofCase.Filter)
                {
                    errors.AddIf(condition.Key.Length > 0, field, "a nested filter takes no key");
                    Validate(condition.Filter, field + ".filter", depth + 1, errors);
                    continue;
                }
                errors.AddIf(string.IsNullOrWhiteSpace(condition.Key), field, "key is empty");
                errors.AddIf(condition.MatchCase == Condition.MatchOneofCase.None, field, "has no equals, any_of, range or filter");
                if (condition.MatchCase == Condition.MatchOneofCase.Range)
                {
                    var r = condition.Range;
                    errors.AddIf(!r.HasGt && !r.HasGte && !r.HasLt && !r.HasLte, field, "range has no bound");
                }
            }
        }
    }

    /// <summary>Whether the filter has any condition at all.</summary>
    public static bool IsEmpty(Filter? filter) => filter is null || filter.Must.Count + filter.MustNot.Count + filter.Should.Count == 0;

    public static Func<Point, bool> Compile(Filter? filter) => IsEmpty(filter) ? static _ => true : point => Accepts(filter!, point);

    private static bool Accepts(Filter filter, Point point) =>
        filter.Must.All(c => Matches(c, point))
        && !filter.MustNot.Any(c => Matches(c, point))
        && (filter.Should.Count == 0 || filter.Should.Any(c => Matches(c, point)));

    private static bool Matches(Condition condition, Point point)
    {
        if (condition.MatchCase == Condition.MatchOneofCase.Filter) return Accepts(condition.Filter, point);
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
