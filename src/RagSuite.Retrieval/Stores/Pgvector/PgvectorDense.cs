using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// Nearest dense vectors through pgvector's HNSW index, or by comparing every vector when the request asks for the
/// exact answer. Runs inside the search's transaction, whose local settings it changes.
/// </summary>
internal static class PgvectorDense
{
    /// <summary>pgvector accepts hnsw.ef_search up to this.</summary>
    private const int MaxEf = 1000;

    public static async Task<List<PgvectorHit>> TopAsync(NpgsqlConnection connection, PgvectorTables tables, DenseDistance distance,
        global::Pgvector.Vector query, SearchRequest request, int limit, CancellationToken cancellationToken)
    {
        // ef below the limit would cap the hits; strict iterative scans keep a filtered search going until the limit is met,
        // in distance order. Disabling index scans leaves the planner a full scan and sort: the exact answer.
        var ef = Math.Clamp(Math.Max(request.Ef > 0 ? request.Ef : DenseIndex.DefaultEf, limit), 1, MaxEf);
        await using (var settings = new NpgsqlCommand(
            "SELECT set_config('hnsw.ef_search', @ef, true), set_config('hnsw.iterative_scan', 'strict_order', true), set_config('enable_indexscan', @indexscan, true)",
            connection))
        {
            settings.Parameters.Add(new NpgsqlParameter("ef", NpgsqlDbType.Text) { Value = ef.ToString(CultureInfo.InvariantCulture) });
            settings.Parameters.Add(new NpgsqlParameter("indexscan", NpgsqlDbType.Text) { Value = request.Exact ? "off" : "on" });
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }
        var (filterSql, filterParameters) = PgvectorFilterSql.Translate(request.Filter);
        var distanceSql = $"p.dense {PgvectorSchema.DistanceOperator(distance)} @query";
        await using var command = new NpgsqlCommand(
            $"""
            SELECT p.id, p.document_id, ({PgvectorSchema.Similarity(distance, distanceSql)})::real AS score
            FROM {tables.Points} p
            WHERE p.dense IS NOT NULL AND {filterSql}
            ORDER BY {distanceSql}
            LIMIT @limit
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { ParameterName = "query", Value = query });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        command.Parameters.AddRange(filterParameters.ToArray());
        return await PgvectorHit.ReadAllAsync(command, cancellationToken);
    }
}
