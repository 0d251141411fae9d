using Npgsql;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>One point of a dense or sparse ranking: what fusion and grouping need, before the point is read.</summary>
internal readonly record struct PgvectorHit(string Id, string DocumentId, float Score)
{
    /// <summary>The rows (id, document id, score) of a ranking query, in its order.</summary>
    public static async Task<List<PgvectorHit>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var hits = new List<PgvectorHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) hits.Add(new PgvectorHit(reader.GetString(0), reader.GetString(1), reader.GetFloat(2)));
        return hits;
    }
}
