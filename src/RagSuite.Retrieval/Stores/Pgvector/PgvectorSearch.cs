using Npgsql;
using NpgsqlTypes;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// One search, as the embedded store's <see cref="CollectionIndex"/> runs it: dense and BM25 rankings from SQL (each of
/// at least 100, or 4·top k, candidates for fusion), fused in process by <see cref="HybridFusion"/>, ordered by score
/// then point id, grouped by document when asked, and the hits read with their dense and sparse scores but no vectors.
/// </summary>
internal sealed class PgvectorSearch(NpgsqlConnection connection, PgvectorTables tables, CollectionConfig config)
{
    private const int MinFusionCandidates = 100;

    public async Task<SearchResponse> RunAsync(SearchRequest request, FusionSettings fusion, CancellationToken cancellationToken)
    {
        var mode = fusion.Mode;
        var sparseQuery = request.SparseQuery ?? new SparseVector();
        var denseQuery = mode == FusionMode.SparseOnly || config.DenseDimension == 0 ? null : PgvectorPoints.Dense(request.DenseQuery, config.DenseDistance);
        var candidates = Math.Max(MinFusionCandidates, request.TopK * 4);

        var dense = denseQuery is null
            ? []
            : mode == FusionMode.DenseOnly
                ? await GroupedTopAsync(request, fetch => DenseAsync(denseQuery, request, fetch, cancellationToken))
                : await DenseAsync(denseQuery, request, candidates, cancellationToken);
        var sparse = mode switch
        {
            FusionMode.DenseOnly => [],
            FusionMode.SparseOnly => await GroupedTopAsync(request, fetch => SparseAsync(sparseQuery, request.Filter, fetch, null, cancellationToken)),
            _ => await SparseAsync(sparseQuery, request.Filter, candidates, null, cancellationToken),
        };

        // HybridFusion ranks small integer keys; each candidate gets one.
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var byKey = new List<PgvectorHit>();
        int Key(PgvectorHit hit)
        {
            if (keys.TryGetValue(hit.Id, out var key)) return key;
            keys[hit.Id] = byKey.Count;
            byKey.Add(hit);
            return byKey.Count - 1;
        }
        List<KeyValuePair<int, float>> Ranked(IEnumerable<KeyValuePair<int, float>> scores) =>
            [.. scores.OrderByDescending(s => s.Value).ThenBy(s => byKey[s.Key].Id, StringComparer.Ordinal)];
        var denseRanking = Ranked(dense.Select(h => KeyValuePair.Create(Key(h), h.Score)));
        var sparseRanking = sparse.Select(h => KeyValuePair.Create(Key(h), h.Score)).ToList();
        var ranked = mode switch
        {
            FusionMode.SparseOnly => sparseRanking,
            FusionMode.DenseOnly => denseRanking,
            FusionMode.Weighted => Ranked(HybridFusion.Weighted(denseRanking.Take(candidates), sparseRanking, fusion.DenseWeight)),
            _ => Ranked(HybridFusion.ReciprocalRank(denseRanking.Take(candidates), sparseRanking, fusion.RrfK, fusion.DenseWeight)),
        };

        var chosen = new List<(PgvectorHit Hit, float Score)>();
        var seenDocuments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, score) in ranked)
        {
            var hit = byKey[key];
            if (request.GroupByDocument && !seenDocuments.Add(hit.DocumentId)) continue;
            chosen.Add((hit, score));
            if (chosen.Count == request.TopK) break;
        }

        var response = new SearchResponse { Fusion = mode };
        if (mode is FusionMode.Rrf or FusionMode.Weighted)
        {
            response.DenseWeight = fusion.DenseWeight;
            if (mode == FusionMode.Rrf) response.RrfK = fusion.RrfK;
        }
        if (chosen.Count == 0) return response;

        var ids = chosen.Select(c => c.Hit.Id).ToList();
        var points = await ReadAsync(ids, denseQuery, cancellationToken);
        var denseScores = dense.ToDictionary(h => h.Id, h => h.Score, StringComparer.Ordinal);
        var sparseScores = sparse.ToDictionary(h => h.Id, h => h.Score, StringComparer.Ordinal);
        if (mode != FusionMode.DenseOnly)
        {
            // A fused hit outside the sparse top list may still match some query terms: score it alone.
            var unscored = ids.Where(id => !sparseScores.ContainsKey(id)).ToList();
            if (unscored.Count > 0)
            {
                foreach (var hit in await SparseAsync(sparseQuery, null, unscored.Count, unscored, cancellationToken)) sparseScores[hit.Id] = hit.Score;
            }
        }
        foreach (var (hit, score) in chosen)
        {
            if (!points.TryGetValue(hit.Id, out var read)) continue; // removed between the ranking and the read: not a hit any more
            var scored = new ScoredPoint { Point = read.Point, Score = score };
            if (denseScores.TryGetValue(hit.Id, out var d)) scored.DenseScore = d;
            else if (read.DenseScore is { } computed) scored.DenseScore = computed;
            if (mode != FusionMode.DenseOnly && sparseScores.TryGetValue(hit.Id, out var s)) scored.SparseScore = s;
            response.Hits.Add(scored);
        }
        return response;
    }

    /// <summary>
    /// The best matches for a top k; grouped by document, fetched until k documents are among them (or there are no
    /// more): a document ranks by its best point, so the first k documents of the best points are the k best documents.
    /// </summary>
    private static async Task<List<PgvectorHit>> GroupedTopAsync(SearchRequest request, Func<int, Task<List<PgvectorHit>>> top)
    {
        for (var fetch = request.TopK; ; fetch *= 4)
        {
            var hits = await top(fetch);
            if (!request.GroupByDocument || hits.Count < fetch || hits.Select(h => h.DocumentId).Distinct(StringComparer.Ordinal).Count() >= request.TopK)
            {
                return hits;
            }
        }
    }

    private Task<List<PgvectorHit>> DenseAsync(global::Pgvector.Vector query, SearchRequest request, int limit, CancellationToken cancellationToken) =>
        PgvectorDense.TopAsync(connection, tables, config.DenseDistance, query, request, limit, cancellationToken);

    private Task<List<PgvectorHit>> SparseAsync(SparseVector query, Filter? filter, int limit, IReadOnlyList<string>? only, CancellationToken cancellationToken) =>
        PgvectorBm25.TopAsync(connection, tables, config.Bm25 ?? new Bm25Parameters { K1 = InProcessRetriever.DefaultK1, B = InProcessRetriever.DefaultB },
            query, filter, limit, only, cancellationToken);

    /// <summary>The hits' points without vectors, and each one's similarity to the query when both have a dense vector.</summary>
    private async Task<Dictionary<string, (Point Point, float? DenseScore)>> ReadAsync(List<string> ids, global::Pgvector.Vector? denseQuery,
        CancellationToken cancellationToken)
    {
        var similarity = denseQuery is null
            ? "NULL::real"
            : $"({PgvectorSchema.Similarity(config.DenseDistance, $"p.dense {PgvectorSchema.DistanceOperator(config.DenseDistance)} @query")})::real";
        await using var command = new NpgsqlCommand($"SELECT {PgvectorPoints.Columns}, {similarity} FROM {tables.Points} p WHERE p.id = ANY(@ids)", connection);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids.ToArray() });
        if (denseQuery is not null) command.Parameters.Add(new NpgsqlParameter { ParameterName = "query", Value = denseQuery });
        var points = new Dictionary<string, (Point, float?)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var point = PgvectorPoints.Read(reader);
            points[point.Id] = (point, reader.IsDBNull(7) ? null : reader.GetFloat(7));
        }
        return points;
    }
}
