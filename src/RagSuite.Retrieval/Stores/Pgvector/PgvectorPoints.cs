using System.Numerics.Tensors;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using NpgsqlTypes;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>How a point becomes a row (and its postings) and how a row reads back as a point without vectors.</summary>
internal static class PgvectorPoints
{
    /// <summary>The columns <see cref="Read"/> expects, in order, over a points row aliased <c>p</c>.</summary>
    public const string Columns = "p.id, p.document_id, p.chunk_index, p.text, p.title, p.metadata::text, p.lineage";

    public static Point Read(NpgsqlDataReader reader, int first = 0)
    {
        var point = new Point
        {
            Id = reader.GetString(first),
            DocumentId = reader.GetString(first + 1),
            ChunkIndex = reader.GetInt32(first + 2),
            Text = reader.GetString(first + 3),
            Title = reader.GetString(first + 4),
        };
        if (!reader.IsDBNull(first + 5)) point.Metadata = JsonParser.Default.Parse<Struct>(reader.GetString(first + 5));
        if (!reader.IsDBNull(first + 6)) point.Lineage = Lineage.Parser.ParseFrom(reader.GetFieldValue<byte[]>(first + 6));
        return point;
    }

    /// <summary>The commands that insert one point and its postings (a point id another document held moves here).</summary>
    public static IEnumerable<NpgsqlBatchCommand> Insert(PgvectorTables tables, CollectionConfig config, string documentId, string contentHash, Point point)
    {
        var sparse = point.Sparse ?? new SparseVector();
        float length = 0;
        foreach (var value in sparse.Values) length += value; // as the embedded BM25 index sums a point's length
        var hasDense = config.DenseDimension > 0;
        var insert = new NpgsqlBatchCommand(
            $"""
            INSERT INTO {tables.Points} (id, document_id, content_hash, chunk_index, text, title, metadata, lineage, length{(hasDense ? ", dense" : "")})
            VALUES (@id, @document, @hash, @chunk, @text, @title, @metadata, @lineage, @length{(hasDense ? ", @dense" : "")})
            """);
        insert.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Text) { Value = point.Id });
        insert.Parameters.Add(new NpgsqlParameter("document", NpgsqlDbType.Text) { Value = documentId });
        insert.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Text) { Value = contentHash });
        insert.Parameters.Add(new NpgsqlParameter("chunk", NpgsqlDbType.Integer) { Value = point.ChunkIndex });
        insert.Parameters.Add(new NpgsqlParameter("text", NpgsqlDbType.Text) { Value = point.Text });
        insert.Parameters.Add(new NpgsqlParameter("title", NpgsqlDbType.Text) { Value = point.Title });
        insert.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Jsonb)
        {
            Value = point.Metadata is null ? DBNull.Value : JsonFormatter.Default.Format(point.Metadata),
        });
        insert.Parameters.Add(new NpgsqlParameter("lineage", NpgsqlDbType.Bytea) { Value = point.Lineage is null ? DBNull.Value : point.Lineage.ToByteArray() });
        insert.Parameters.Add(new NpgsqlParameter("length", NpgsqlDbType.Real) { Value = length });
        if (hasDense)
        {
            insert.Parameters.Add(new NpgsqlParameter { ParameterName = "dense", Value = Dense(point.Dense, config.DenseDistance) is { } v ? v : DBNull.Value });
        }
        yield return insert;
        if (sparse.Indices.Count == 0) yield break;
        var postings = new NpgsqlBatchCommand($"INSERT INTO {tables.Postings} (term, point_id, tf) SELECT t, @id, f FROM unnest(@terms, @tfs) AS u(t, f)");
        postings.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Text) { Value = point.Id });
        postings.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = sparse.Indices.Select(i => (long)i).ToArray() });
        postings.Parameters.Add(new NpgsqlParameter("tfs", NpgsqlDbType.Array | NpgsqlDbType.Real) { Value = sparse.Values.ToArray() });
        yield return postings;
    }

    /// <summary>A vector as the store compares it: unit length for cosine (as the embedded store keeps it), raw for dot products; null when absent.</summary>
    public static global::Pgvector.Vector? Dense(IReadOnlyCollection<float> values, DenseDistance distance)
    {
        if (values.Count == 0) return null;
        var vector = values.ToArray();
        var norm = TensorPrimitives.Norm(vector);
        if (distance == DenseDistance.Cosine && norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return new global::Pgvector.Vector(vector);
    }
}
