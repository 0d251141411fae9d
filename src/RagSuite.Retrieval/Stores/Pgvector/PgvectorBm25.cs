using Npgsql;
using NpgsqlTypes;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// Exact BM25 in SQL, the formula of the embedded store's scorer: idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)) and
/// tf·(k1 + 1) / (tf + k1·(1 − b + b·|d| / avgdl)), weighted by the query term's count and summed. N, df and avgdl come
/// from the collection's own tables, over all of its points (a filter narrows the hits, not the statistics, as in process).
/// </summary>
internal static class PgvectorBm25
{
    /// <summary>
    /// The best <paramref name="limit"/> points under the filter, best first, ties by point id; or, with
    /// <paramref name="only"/>, the scores of just those points (the ones that share a term with the query).
    /// </summary>
    public static async Task<List<PgvectorHit>> TopAsync(NpgsqlConnection connection, PgvectorTables tables, Bm25Parameters bm25, SparseVector query,
        Filter? filter, int limit, IReadOnlyList<string>? only, CancellationToken cancellationToken)
    {
        if (query.Indices.Count == 0 || limit == 0) return [];
        var (filterSql, filterParameters) = PgvectorFilterSql.Translate(filter);
        await using var command = new NpgsqlCommand(
            $"""
            WITH q AS (SELECT t AS term, w AS weight FROM unnest(@terms, @weights) AS u(t, w)),
                 s AS (SELECT count(*)::float8 AS n, NULLIF(avg(length), 0)::float8 AS avgdl FROM {tables.Points}),
                 d AS (SELECT o.term, count(*)::float8 AS df FROM {tables.Postings} o JOIN q ON q.term = o.term GROUP BY o.term)
            SELECT p.id, p.document_id,
                   sum(q.weight * ln(1 + (s.n - d.df + 0.5) / (d.df + 0.5)) * o.tf * (@k1 + 1)
                       / (o.tf + @k1 * (1 - @b + @b * p.length / s.avgdl)))::real AS score
            FROM q JOIN d ON d.term = q.term
                 JOIN {tables.Postings} o ON o.term = q.term
                 JOIN {tables.Points} p ON p.id = o.point_id
                 CROSS JOIN s
            WHERE s.avgdl IS NOT NULL AND {filterSql}{(only is null ? "" : " AND p.id = ANY(@only)")}
            GROUP BY p.id, p.document_id
            ORDER BY score DESC, p.id
            LIMIT @limit
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = query.Indices.Select(i => (long)i).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("weights", NpgsqlDbType.Array | NpgsqlDbType.Real) { Value = query.Values.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("k1", NpgsqlDbType.Double) { Value = (double)bm25.K1 });
        command.Parameters.Add(new NpgsqlParameter("b", NpgsqlDbType.Double) { Value = (double)bm25.B });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        if (only is not null) command.Parameters.Add(new NpgsqlParameter("only", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = only.ToArray() });
        command.Parameters.AddRange(filterParameters.ToArray());
        return await PgvectorHit.ReadAllAsync(command, cancellationToken);
    }
}
