using System.Data;
using Npgsql;
using NpgsqlTypes;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>Document writes and deletes: each call one transaction under the collection's write lock.</summary>
public sealed partial class PgvectorVectorStore
{
    public Task<int> UpsertDocumentsAsync(string collection, IReadOnlyList<DocumentWrite> documents, CancellationToken cancellationToken) =>
        InTransactionAsync(collection, IsolationLevel.ReadCommitted, async connection =>
        {
            var (config, _) = await ConfigAsync(connection, collection, forWrite: true, cancellationToken);
            var tables = PgvectorTables.For(collection);
            // The documents' old points go, and so does any point of another document whose id a new point takes (its postings cascade).
            var documentIds = documents.Select(d => d.DocumentId).ToHashSet(StringComparer.Ordinal);
            var removed = 0;
            await using (var delete = new NpgsqlCommand($"DELETE FROM {tables.Points} WHERE document_id = ANY(@documents) OR id = ANY(@ids) RETURNING document_id", connection))
            {
                delete.Parameters.Add(new NpgsqlParameter("documents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = documentIds.ToArray() });
                delete.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text)
                {
                    Value = documents.SelectMany(d => d.Points).Select(p => p.Id).ToArray(),
                });
                await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) removed += documentIds.Contains(reader.GetString(0)) ? 1 : 0;
            }
            await using var batch = new NpgsqlBatch(connection);
            foreach (var document in documents)
            {
                foreach (var point in document.Points)
                {
                    foreach (var command in PgvectorPoints.Insert(tables, config, document.DocumentId, document.ContentHash, point)) batch.BatchCommands.Add(command);
                }
            }
            if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
            return removed;
        }, cancellationToken);

    public Task<int> DeleteDocumentAsync(string collection, string documentId, CancellationToken cancellationToken) =>
        InTransactionAsync(collection, IsolationLevel.ReadCommitted, async connection =>
        {
            await ConfigAsync(connection, collection, forWrite: true, cancellationToken);
            await using var delete = new NpgsqlCommand($"DELETE FROM {PgvectorTables.For(collection).Points} WHERE document_id = @document", connection);
            delete.Parameters.Add(new NpgsqlParameter("document", NpgsqlDbType.Text) { Value = documentId });
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<int> DeletePointsAsync(string collection, IReadOnlyList<string> pointIds, CancellationToken cancellationToken) =>
        InTransactionAsync(collection, IsolationLevel.ReadCommitted, async connection =>
        {
            await ConfigAsync(connection, collection, forWrite: true, cancellationToken);
            var tables = PgvectorTables.For(collection);
            var touched = new List<string>();
            await using (var delete = new NpgsqlCommand($"DELETE FROM {tables.Points} WHERE id = ANY(@ids) RETURNING document_id", connection))
            {
                delete.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = pointIds.ToArray() });
                await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) touched.Add(reader.GetString(0));
            }
            if (touched.Count == 0) return 0;
            // A document that lost some points no longer holds all of its content: its hash goes, as in the embedded store,
            // so that the next ingestion of it rewrites it.
            await using var update = new NpgsqlCommand($"UPDATE {tables.Points} SET content_hash = '' WHERE document_id = ANY(@documents)", connection);
            update.Parameters.Add(new NpgsqlParameter("documents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = touched.Distinct(StringComparer.Ordinal).ToArray() });
            await update.ExecuteNonQueryAsync(cancellationToken);
            return touched.Count;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<StoredDocument>>(collection, IsolationLevel.ReadCommitted, async connection =>
        {
            await ConfigAsync(connection, collection, forWrite: false, cancellationToken);
            await using var command = new NpgsqlCommand(
                $"SELECT document_id, min(content_hash), count(*)::int FROM {PgvectorTables.For(collection).Points} WHERE document_id = ANY(@documents) GROUP BY document_id",
                connection);
            var wanted = documentIds.Distinct(StringComparer.Ordinal).ToArray();
            command.Parameters.Add(new NpgsqlParameter("documents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = wanted });
            var found = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var document = new StoredDocument { DocumentId = reader.GetString(0), ContentHash = reader.GetString(1), ChunkCount = reader.GetInt32(2) };
                found[document.DocumentId] = document;
            }
            return [.. wanted.Where(found.ContainsKey).Select(id => found[id])];
        }, cancellationToken);
}
