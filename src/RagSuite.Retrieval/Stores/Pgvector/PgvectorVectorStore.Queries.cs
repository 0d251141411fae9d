using System.Data;
using Npgsql;
using NpgsqlTypes;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>Searches, counts and scrolls: read-only, each in one snapshot.</summary>
public sealed partial class PgvectorVectorStore
{
    public Task<SearchResponse> SearchAsync(SearchRequest request, FusionSettings fusion, CancellationToken cancellationToken) =>
        InTransactionAsync(request.Collection, IsolationLevel.RepeatableRead, async connection =>
        {
            var (config, _) = await ConfigAsync(connection, request.Collection, forWrite: false, cancellationToken);
            return await new PgvectorSearch(connection, PgvectorTables.For(request.Collection), config).RunAsync(request, fusion, cancellationToken);
        }, cancellationToken);

    public Task<long> CountAsync(string collection, Filter? filter, CancellationToken cancellationToken) =>
        InTransactionAsync(collection, IsolationLevel.RepeatableRead, async connection =>
        {
            await ConfigAsync(connection, collection, forWrite: false, cancellationToken);
            var (filterSql, parameters) = PgvectorFilterSql.Translate(filter);
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {PgvectorTables.For(collection).Points} p WHERE {filterSql}", connection);
            command.Parameters.AddRange(parameters.ToArray());
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public Task<ScrollPage> ScrollAsync(string collection, Filter? filter, string? after, int limit, CancellationToken cancellationToken) =>
        InTransactionAsync(collection, IsolationLevel.RepeatableRead, async connection =>
        {
            await ConfigAsync(connection, collection, forWrite: false, cancellationToken);
            var (filterSql, parameters) = PgvectorFilterSql.Translate(filter);
            // Point ids are COLLATE "C": byte order of UTF-8, the ordinal order of the embedded store.
            await using var command = new NpgsqlCommand(
                $"""
                SELECT {PgvectorPoints.Columns} FROM {PgvectorTables.For(collection).Points} p
                WHERE (@after::text IS NULL OR p.id > @after) AND {filterSql}
                ORDER BY p.id
                LIMIT @limit
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = (object?)after ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit + 1 });
            command.Parameters.AddRange(parameters.ToArray());
            var points = new List<Point>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) points.Add(PgvectorPoints.Read(reader));
            var next = points.Count > limit ? points[limit - 1].Id : null;
            return new ScrollPage([.. points.Take(limit)], next);
        }, cancellationToken);
}
