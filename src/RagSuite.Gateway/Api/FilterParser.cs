using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Reads the REST filter syntax into a <see cref="Filter"/>: <c>{"lang": "en"}</c> (equals),
/// <c>{"tag": ["a", "b"]}</c> (any of), <c>{"year": {"gte": 2020, "lt": 2025}}</c> (range), and the
/// negations <c>{"lang": {"ne": "de"}}</c>, <c>{"tag": {"nin": ["x"]}}</c>. All conditions must hold.
/// </summary>
public static class FilterParser
{
    public const int MaxConditions = 32;

    public static Filter? Parse(Dictionary<string, JsonElement>? filters, ValidationErrors errors)
    {
        if (filters is null || filters.Count == 0) return null;
        errors.AddIf(filters.Count > MaxConditions, "filters", $"has {filters.Count} keys; the limit is {MaxConditions}");
        var filter = new Filter();
        foreach (var (key, value) in filters)
        {
            var field = $"filters.{key}";
            if (key.Length == 0)
            {
                errors.Add("filters", "keys must not be empty");
                continue;
            }
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    if (AnyOf(value, field, errors) is { } anyOf) filter.Must.Add(new Condition { Key = key, AnyOf = anyOf });
                    break;
                case JsonValueKind.Object:
                    ParseOperators(key, value, filter, field, errors);
                    break;
                default:
                    if (MetadataJson.Scalar(value, field, errors) is { } scalar) filter.Must.Add(new Condition { Key = key, Equals_ = scalar });
                    break;
            }
        }
        return filter;
    }

    private static void ParseOperators(string key, JsonElement operators, Filter filter, string field, ValidationErrors errors)
    {
        Contracts.V1.Range? range = null;
        foreach (var op in operators.EnumerateObject())
        {
            var opField = $"{field}.{op.Name}";
            switch (op.Name)
            {
                case "eq" or "ne":
                    if (MetadataJson.Scalar(op.Value, opField, errors) is { } scalar)
                    {
                        (op.Name == "eq" ? filter.Must : filter.MustNot).Add(new Condition { Key = key, Equals_ = scalar });
                    }
                    break;
                case "in" or "nin":
                    if (AnyOf(op.Value, opField, errors) is { } anyOf)
                    {
                        (op.Name == "in" ? filter.Must : filter.MustNot).Add(new Condition { Key = key, AnyOf = anyOf });
                    }
                    break;
                case "gt" or "gte" or "lt" or "lte":
                    if (op.Value.ValueKind != JsonValueKind.Number)
                    {
                        errors.Add(opField, "must be a number");
                        break;
                    }
                    range ??= new Contracts.V1.Range();
                    var bound = op.Value.GetDouble();
                    _ = op.Name switch
                    {
                        "gt" => range.Gt = bound,
                        "gte" => range.Gte = bound,
                        "lt" => range.Lt = bound,
                        _ => range.Lte = bound,
                    };
                    break;
                default:
                    errors.Add(opField, "is not an operator; use eq, ne, in, nin, gt, gte, lt or lte");
                    break;
            }
        }
        errors.AddIf(!operators.EnumerateObject().Any(), field, "has no operator");
        if (range is not null) filter.Must.Add(new Condition { Key = key, Range = range });
    }

    private static ListValue? AnyOf(JsonElement array, string field, ValidationErrors errors)
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            errors.Add(field, "must be a non-empty array");
            return null;
        }
        var list = new ListValue();
        foreach (var item in array.EnumerateArray())
        {
            if (MetadataJson.Scalar(item, field, errors) is { } scalar) list.Values.Add(scalar);
        }
        return list;
    }
}
