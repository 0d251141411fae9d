using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Reads the REST filter syntax into a <see cref="Filter"/>: <c>{"lang": "en"}</c> (equals),
/// <c>{"tag": ["a", "b"]}</c> (any of), <c>{"year": {"gte": 2020, "lt": 2025}}</c> (range), and the
/// negations <c>{"lang": {"ne": "de"}}</c>, <c>{"tag": {"nin": ["x"]}}</c>. All conditions must hold. Filters nest:
/// <c>{"$or": [{"lang": "en"}, {"year": {"gte": 2020}}]}</c> (at least one holds), <c>{"$and": [...]}</c> (all hold) and
/// <c>{"$not": {"lang": "de"}}</c> (it does not hold).
/// </summary>
public static class FilterParser
{
    public const int MaxConditions = 32;

    /// <summary>How deep <c>$and</c>, <c>$or</c> and <c>$not</c> may nest, as the retriever allows.</summary>
    public const int MaxDepth = 4;

    public static Filter? Parse(Dictionary<string, JsonElement>? filters, ValidationErrors errors) =>
        filters is null || filters.Count == 0 ? null : Parse(filters.Select(f => (f.Key, f.Value)).ToList(), "filters", 0, errors);

    private static Filter Parse(List<(string Key, JsonElement Value)> filters, string path, int depth, ValidationErrors errors)
    {
        errors.AddIf(filters.Count > MaxConditions, path, $"has {filters.Count} keys; the limit is {MaxConditions}");
        var filter = new Filter();
        foreach (var (key, value) in filters)
        {
            var field = $"{path}.{key}";
            if (key.Length == 0)
            {
                errors.Add(path, "keys must not be empty");
                continue;
            }
            if (key.StartsWith('$'))
            {
                ParseLogical(key, value, filter, field, depth, errors);
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

    private static void ParseLogical(string key, JsonElement value, Filter filter, string field, int depth, ValidationErrors errors)
    {
        if (depth >= MaxDepth)
        {
            errors.Add(field, $"nests deeper than {MaxDepth} levels");
            return;
        }
        switch (key)
        {
            case "$and" or "$or":
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                {
                    errors.Add(field, "must be a non-empty array of filters");
                    return;
                }
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Nested(item, $"{field}[{i++}]", depth, errors) is { } nested)
                    {
                        (key == "$and" ? filter.Must : filter.Should).Add(new Condition { Filter = nested });
                    }
                }
                break;
            case "$not":
                if (Nested(value, field, depth, errors) is { } negated) filter.MustNot.Add(new Condition { Filter = negated });
                break;
            default:
                errors.Add(field, "is not a logical operator; use $and, $or or $not");
                break;
        }
    }

    private static Filter? Nested(JsonElement value, string field, int depth, ValidationErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
        {
            errors.Add(field, "must be a non-empty filter object");
            return null;
        }
        return Parse([.. value.EnumerateObject().Select(p => (p.Name, p.Value))], field, depth + 1, errors);
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
                    // GetDouble turns 1e400 into Infinity, a bound no stored value could be compared with.
                    if (!op.Value.TryGetDouble(out var bound) || !double.IsFinite(bound))
                    {
                        errors.Add(opField, "is a number that does not fit a 64-bit floating point value");
                        break;
                    }
                    range ??= new Contracts.V1.Range();
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
