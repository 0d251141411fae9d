using Google.Protobuf.WellKnownTypes;
using Npgsql;
using NpgsqlTypes;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// A <see cref="Filter"/> as a SQL condition over a points row aliased <c>p</c>, with the semantics of
/// <see cref="MetadataFilter"/>: keys and values travel as parameters, never in the SQL text. A scalar condition holds
/// when the field equals it or, for a list field, any element does: jsonb's <c>@&gt;</c> says exactly that of a scalar
/// (an array contains a scalar that is one of its top-level elements). Every part is made true or false, never NULL,
/// so that NOT of a missing field holds, as it does in process.
/// </summary>
internal sealed class PgvectorFilterSql
{
    private readonly List<NpgsqlParameter> _parameters = [];
    private readonly string _prefix;

    private PgvectorFilterSql(string prefix) => _prefix = prefix;

    /// <summary>The condition (TRUE without a filter) and its parameters, named with <paramref name="prefix"/> so several may share a command.</summary>
    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) Translate(Filter? filter, string prefix = "f")
    {
        if (MetadataFilter.IsEmpty(filter)) return ("TRUE", []);
        var builder = new PgvectorFilterSql(prefix);
        return (builder.Of(filter!), builder._parameters);
    }

    private string Of(Filter filter)
    {
        var parts = new List<string>();
        parts.AddRange(filter.Must.Select(Of));
        parts.AddRange(filter.MustNot.Select(c => $"NOT {Of(c)}"));
        if (filter.Should.Count > 0) parts.Add($"({string.Join(" OR ", filter.Should.Select(Of))})");
        return parts.Count == 0 ? "TRUE" : $"({string.Join(" AND ", parts)})";
    }

    private string Of(Condition condition)
    {
        if (condition.MatchCase == Condition.MatchOneofCase.Filter) return Of(condition.Filter);
        if (condition.Key == MetadataFilter.DocumentIdKey) return OfDocument(condition);
        var field = $"(p.metadata -> {Add(NpgsqlDbType.Text, condition.Key)})";
        return condition.MatchCase switch
        {
            Condition.MatchOneofCase.Equals_ when IsScalar(condition.Equals_) => $"COALESCE({field} @> {Json(condition.Equals_)}, FALSE)",
            Condition.MatchOneofCase.AnyOf when condition.AnyOf.Values.Where(IsScalar).ToList() is { Count: > 0 } values =>
                $"COALESCE(EXISTS (SELECT 1 FROM jsonb_array_elements({Json(Value.ForList([.. values]))}) a WHERE {field} @> a.value), FALSE)",
            Condition.MatchOneofCase.Range => $"COALESCE(EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof({field}) WHEN 'array' THEN {field} "
                + $"ELSE jsonb_build_array({field}) END) e WHERE jsonb_typeof(e.value) = 'number'{Bounds("e.value::float8", condition.Range)}), FALSE)",
            _ => "FALSE", // null, list and struct values equal nothing in process either
        };
    }

    /// <summary>"document_id" names the point's document, a string: it never falls in a numeric range.</summary>
    private string OfDocument(Condition condition) => condition.MatchCase switch
    {
        Condition.MatchOneofCase.Equals_ when condition.Equals_.KindCase == Value.KindOneofCase.StringValue =>
            $"p.document_id = {Add(NpgsqlDbType.Text, condition.Equals_.StringValue)}",
        Condition.MatchOneofCase.AnyOf => $"p.document_id = ANY({Add(NpgsqlDbType.Array | NpgsqlDbType.Text,
            condition.AnyOf.Values.Where(v => v.KindCase == Value.KindOneofCase.StringValue).Select(v => v.StringValue).ToArray())})",
        _ => "FALSE",
    };

    private string Bounds(string x, Contracts.V1.Range range)
    {
        var sql = "";
        if (range.HasGt) sql += $" AND {x} > {Add(NpgsqlDbType.Double, range.Gt)}";
        if (range.HasGte) sql += $" AND {x} >= {Add(NpgsqlDbType.Double, range.Gte)}";
        if (range.HasLt) sql += $" AND {x} < {Add(NpgsqlDbType.Double, range.Lt)}";
        if (range.HasLte) sql += $" AND {x} <= {Add(NpgsqlDbType.Double, range.Lte)}";
        return sql;
    }

    private static bool IsScalar(Value value) =>
        value.KindCase is Value.KindOneofCase.StringValue or Value.KindOneofCase.BoolValue
        || (value.KindCase == Value.KindOneofCase.NumberValue && double.IsFinite(value.NumberValue));

    private string Json(Value value) => Add(NpgsqlDbType.Jsonb, Google.Protobuf.JsonFormatter.Default.Format(value));

    private string Add(NpgsqlDbType type, object value)
    {
        var name = $"{_prefix}{_parameters.Count}";
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }
}
