using Npgsql;
using Pgvector;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>
/// pgvector through plain SQL, as a PostgreSQL user would run it: a table of (id, embedding vector(d)) filled with
/// multi-row INSERTs (PGlite has no COPY), an HNSW index over inner products of the unit vectors built after the load
/// (m, ef_construction), and <c>ORDER BY embedding &lt;#&gt; $1 LIMIT k</c> under <c>SET hnsw.ef_search</c>.
/// </summary>
public sealed class PgvectorIndex : IAsyncDisposable
{
    private const int RowsPerInsert = 200;

    private readonly NpgsqlDataSource _source;

    public PgvectorIndex(string connectionString, string table)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        _source = builder.Build();
        Table = table;
    }

    public string Table { get; }

    public async Task RecreateAsync(int dimension, CancellationToken cancellationToken)
    {
        await ExecuteAsync("CREATE EXTENSION IF NOT EXISTS vector", cancellationToken);
        // Connections learn the vector type only once the extension exists.
        await _source.ReloadTypesAsync(cancellationToken);
        await ExecuteAsync($"DROP TABLE IF EXISTS {Table}", cancellationToken);
        await ExecuteAsync($"CREATE TABLE {Table} (id text PRIMARY KEY, embedding vector({dimension}) NOT NULL)", cancellationToken);
    }

    public async Task LoadAsync(VectorSet vectors, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        for (var start = 0; start < vectors.Count; start += RowsPerInsert)
        {
            var end = Math.Min(vectors.Count, start + RowsPerInsert);
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO {Table} (id, embedding) VALUES " +
                string.Join(", ", Enumerable.Range(0, end - start).Select(i => $"(${2 * i + 1}, ${2 * i + 2})"));
            for (var row = start; row < end; row++)
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = DenseIds.Of(row) });
                insert.Parameters.Add(new NpgsqlParameter { Value = new Vector(vectors.Copy(row)) });
            }
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task IndexAsync(int m, int efConstruction, CancellationToken cancellationToken) =>
        ExecuteAsync($"CREATE INDEX ON {Table} USING hnsw (embedding vector_ip_ops) WITH (m = {m}, ef_construction = {efConstruction})", cancellationToken);

    public ISearchTarget Searcher(string name, VectorSet queries, int topK, int ef) => new Target(this, name, queries, topK, ef);

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(sql);
        command.CommandTimeout = 0; // an index build over 100k vectors takes minutes
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class Target(PgvectorIndex index, string name, VectorSet queries, int topK, int ef) : ISearchTarget
    {
        public string Name => name;

        public ISearchSession OpenSession() => new Session(index, queries, topK, ef);
    }

    /// <summary>One client's connection, with its search breadth set once, as a pooled application connection would be.</summary>
    private sealed class Session(PgvectorIndex index, VectorSet queries, int topK, int ef) : ISearchSession
    {
        private NpgsqlConnection? _connection;

        public async ValueTask<SearchOutcome> SearchAsync(int query, CancellationToken cancellationToken)
        {
            if (_connection is null)
            {
                _connection = await index._source.OpenConnectionAsync(cancellationToken);
                await using var set = new NpgsqlCommand($"SET hnsw.ef_search = {ef}", _connection);
                await set.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var search = new NpgsqlCommand($"SELECT id FROM {index.Table} ORDER BY embedding <#> $1 LIMIT {topK}", _connection);
            search.Parameters.Add(new NpgsqlParameter { Value = new Vector(queries.Copy(query)) });
            var ids = new List<string>(topK);
            await using var reader = await search.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
            return new SearchOutcome(ids);
        }

        public void Dispose() => _connection?.Dispose();
    }
}
