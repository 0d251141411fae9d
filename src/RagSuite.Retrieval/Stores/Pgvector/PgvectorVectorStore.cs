using System.Data;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Pgvector.Npgsql;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// Collections in PostgreSQL with pgvector: a catalogue row per collection (its config) and per collection a points
/// table (HNSW-indexed dense vectors, JSONB metadata) and a postings table for exact BM25 in SQL. The retriever keeps no
/// state of its own, so replicas share one database; writes to a collection are serialised by an advisory lock, and
/// each call is one transaction.
/// </summary>
public sealed partial class PgvectorVectorStore(IOptions<PgvectorOptions> options, ILogger<PgvectorVectorStore> logger) : IVectorStore, IAsyncDisposable
{
    public const string StoreKind = "pgvector";

    /// <summary>Connection attempts before the server counts as unreachable: a restarting server or a dropped socket recovers in moments.</summary>
    private const int OpenAttempts = 4;

    private static readonly TimeSpan OpenRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _opening = new(1, 1);
    private NpgsqlDataSource? _dataSource;

    public string Kind => StoreKind;

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => PgvectorErrors.Run<object?>(null, async () =>
    {
        await DataSourceAsync(cancellationToken);
        return null;
    });

    public Task<Collection> CreateCollectionAsync(string name, CollectionConfig config, CancellationToken cancellationToken) =>
        InTransactionAsync(name, IsolationLevel.ReadCommitted, async connection =>
        {
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {PgvectorSchema.Catalogue} (name, config) VALUES (@name, @config) ON CONFLICT (name) DO NOTHING RETURNING created_at", connection);
            insert.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = name });
            insert.Parameters.Add(new NpgsqlParameter("config", NpgsqlDbType.Jsonb) { Value = JsonFormatter.Default.Format(config) });
            if (await insert.ExecuteScalarAsync(cancellationToken) is not DateTime createdAt) throw RagSuiteException.Conflict($"Collection '{name}' already exists.");
            await ExecuteAsync(connection, PgvectorSchema.CreateTables(PgvectorTables.For(name), config), cancellationToken);
            return new Collection { Name = name, Config = config.Clone(), CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(createdAt, DateTimeKind.Utc)) };
        }, cancellationToken);

    public Task<Collection> GetCollectionAsync(string name, CancellationToken cancellationToken) =>
        InTransactionAsync(name, IsolationLevel.RepeatableRead, connection => DescribeAsync(connection, name, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<Collection>>(null, IsolationLevel.RepeatableRead, async connection =>
        {
            var names = new List<string>();
            await using (var command = new NpgsqlCommand($"SELECT name FROM {PgvectorSchema.Catalogue} ORDER BY name", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
            }
            var collections = new List<Collection>(names.Count);
            foreach (var name in names) collections.Add(await DescribeAsync(connection, name, cancellationToken));
            return collections;
        }, cancellationToken);

    public Task DeleteCollectionAsync(string name, CancellationToken cancellationToken) =>
        InTransactionAsync<object?>(name, IsolationLevel.ReadCommitted, async connection =>
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {PgvectorSchema.Catalogue} WHERE name = @name", connection);
            delete.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = name });
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0) throw MissingCollection(name);
            await ExecuteAsync(connection, PgvectorSchema.DropTables(PgvectorTables.For(name)), cancellationToken);
            return null;
        }, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The data source, once the server has been reached and the vector extension and catalogue exist. They are created
    /// on a connection of its own first, so that the data source, which learns the server's types when it first
    /// connects, knows the vector type.
    /// </summary>
    private async Task<NpgsqlDataSource> DataSourceAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _dataSource) is { } ready) return ready;
        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_dataSource is not null) return _dataSource;
            var settings = new NpgsqlConnectionStringBuilder(await options.Value.ResolveConnectionStringAsync(cancellationToken))
            {
                CommandTimeout = options.Value.CommandTimeoutSeconds,
            };
            var setup = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false };
            await using (var connection = await OpenAsync(async token =>
                {
                    var connection = new NpgsqlConnection(setup.ConnectionString);
                    await connection.OpenAsync(token);
                    return connection;
                }, cancellationToken))
            {
                await PgvectorSchema.EnsureCatalogueAsync(connection, cancellationToken);
            }
            var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
            builder.UseVector();
            LogOpened(logger, settings.Host, settings.Port, settings.Database);
            return Volatile.Read(ref _dataSource) ?? (_dataSource = builder.Build());
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction on a connection of its own; errors become RagSuite errors.</summary>
    private Task<T> InTransactionAsync<T>(string? collection, IsolationLevel isolation, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken) =>
        PgvectorErrors.Run(collection, async () =>
        {
            var dataSource = await DataSourceAsync(cancellationToken);
            await using var connection = await OpenAsync(dataSource.OpenConnectionAsync, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
            var result = await work(connection);
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

    /// <summary>A connection, retrying the connect itself (nothing has run on it yet, so a retry repeats nothing).</summary>
    private static async Task<NpgsqlConnection> OpenAsync(Func<CancellationToken, ValueTask<NpgsqlConnection>> open, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await open(cancellationToken);
            }
            catch (NpgsqlException e) when (e is not PostgresException && attempt < OpenAttempts)
            {
                await Task.Delay(OpenRetryDelay * attempt, cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The collection's config and creation time, or NotFound. <paramref name="forWrite"/> also takes the collection's
    /// write lock and keeps its catalogue row from being deleted until the transaction ends.
    /// </summary>
    private static async Task<(CollectionConfig Config, Timestamp CreatedAt)> ConfigAsync(NpgsqlConnection connection, string name, bool forWrite,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            forWrite
                ? $"SELECT config::text, created_at, pg_advisory_xact_lock(hashtextextended(@name, 0)) FROM {PgvectorSchema.Catalogue} WHERE name = @name FOR SHARE"
                : $"SELECT config::text, created_at FROM {PgvectorSchema.Catalogue} WHERE name = @name", connection);
        command.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) throw MissingCollection(name);
        return (JsonParser.Default.Parse<CollectionConfig>(reader.GetString(0)),
            Timestamp.FromDateTime(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)));
    }

    private static async Task<Collection> DescribeAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        var (config, createdAt) = await ConfigAsync(connection, name, forWrite: false, cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT count(*), count(DISTINCT document_id) FROM {PgvectorTables.For(name).Points}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Collection { Name = name, Config = config, PointCount = reader.GetInt64(0), DocumentCount = reader.GetInt64(1), CreatedAt = createdAt };
    }

    private static RagSuiteException MissingCollection(string name) => RagSuiteException.NotFound($"Collection '{name}' does not exist.");

    [LoggerMessage(Level = LogLevel.Information, Message = "pgvector store: PostgreSQL at {Host}:{Port}, database {Database}")]
    private static partial void LogOpened(ILogger logger, string? host, int port, string? database);
}
