using System.Globalization;
using Npgsql;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// The pgvector store's tables: a catalogue of collections and, per collection, its points and their BM25 postings.
/// Identifiers come from <see cref="PgvectorTables"/> and numbers from a validated config; no caller text reaches DDL.
/// </summary>
internal static class PgvectorSchema
{
    public const string Catalogue = "ragsuite_collections";

    /// <summary>pgvector's HNSW indexes vectors of at most this many dimensions; larger ones are scanned exactly.</summary>
    public const int MaxIndexedDimension = 2000;

    /// <summary>Serialises schema changes between replicas that start at once (CREATE ... IF NOT EXISTS still races).</summary>
    private const long SchemaLock = 0x5261_6753_7569_7465; // "RagSuite"

    public static async Task EnsureCatalogueAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT pg_advisory_xact_lock({SchemaLock});
            CREATE EXTENSION IF NOT EXISTS vector;
            CREATE TABLE IF NOT EXISTS {Catalogue} (
                name text COLLATE "C" PRIMARY KEY,
                config jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now());
            """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The points and postings tables of a new collection, with an HNSW index on the dense column when it has one.</summary>
    public static string CreateTables(PgvectorTables tables, CollectionConfig config)
    {
        var dimension = config.DenseDimension;
        var dense = dimension > 0 ? $", dense vector({dimension.ToString(CultureInfo.InvariantCulture)})" : "";
        var sql = $"""
            CREATE TABLE {tables.Points} (
                id text COLLATE "C" PRIMARY KEY,
                document_id text COLLATE "C" NOT NULL,
                content_hash text NOT NULL,
                chunk_index integer NOT NULL,
                text text NOT NULL,
                title text NOT NULL,
                metadata jsonb,
                lineage bytea,
                length real NOT NULL{dense});
            CREATE INDEX ON {tables.Points} (document_id);
            CREATE TABLE {tables.Postings} (
                term bigint NOT NULL,
                point_id text COLLATE "C" NOT NULL REFERENCES {tables.Points} (id) ON DELETE CASCADE,
                tf real NOT NULL,
                PRIMARY KEY (term, point_id));
            CREATE INDEX ON {tables.Postings} (point_id);
            """;
        if (dimension is > 0 and <= MaxIndexedDimension)
        {
            var m = config.DenseIndex is { M: > 0 } ? config.DenseIndex.M : DenseIndex.DefaultM;
            var efConstruction = config.DenseIndex is { EfConstruction: > 0 } ? config.DenseIndex.EfConstruction : DenseIndex.DefaultEfConstruction;
            sql += string.Create(CultureInfo.InvariantCulture,
                $"CREATE INDEX {tables.DenseIndex} ON {tables.Points} USING hnsw (dense {OperatorClass(config.DenseDistance)}) WITH (m = {m}, ef_construction = {efConstruction});");
        }
        return sql;
    }

    public static string DropTables(PgvectorTables tables) => $"DROP TABLE IF EXISTS {tables.Postings}; DROP TABLE IF EXISTS {tables.Points};";

    /// <summary>Cosine collections keep unit vectors, as the embedded store does; dot collections compare raw inner products.</summary>
    private static string OperatorClass(DenseDistance distance) => distance == DenseDistance.Dot ? "vector_ip_ops" : "vector_cosine_ops";

    /// <summary>The SQL distance operator the index serves (smaller is nearer).</summary>
    public static string DistanceOperator(DenseDistance distance) => distance == DenseDistance.Dot ? "<#>" : "<=>";

    /// <summary>A similarity (larger is nearer) from the distance <paramref name="distanceSql"/>: cosine 1 − d, dot −d.</summary>
    public static string Similarity(DenseDistance distance, string distanceSql) => distance == DenseDistance.Dot ? $"-({distanceSql})" : $"1 - ({distanceSql})";
}
