using System.Text.Json;
using System.Text.Json.Nodes;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// Search on Qdrant with the embedded store's meaning: dense or sparse alone, or both fused. Plain RRF (a dense share
/// of 0.5) runs in Qdrant, a dense and a sparse prefetch under <c>{"rrf": {"k"}}</c>: Qdrant scores 1/(k + position)
/// with positions from 0, so its k is ours plus one and its scores equal <see cref="HybridFusion.ReciprocalRank"/>'s.
/// Qdrant's RRF weights divide the position rather than scale the contribution, so RRF with another dense share, and
/// weighted (min-max) fusion, which Qdrant lacks, fuse both ranked lists here with <see cref="HybridFusion"/>. Hits are
/// ordered by score, then point id, and carry their dense and sparse scores, read by an id-restricted query when fused.
/// </summary>
internal sealed partial class QdrantVectorStore
{
    /// <summary>How many of each ranking hybrid fusion considers, at least (as the embedded store).</summary>
    private const int MinFusionCandidates = 100;

    private static readonly JsonObject RankingFields = Fields(QdrantPayload.PointId, QdrantPayload.DocumentId);

    public async Task<SearchResponse> SearchAsync(SearchRequest request, FusionSettings fusion, CancellationToken cancellationToken)
    {
        var response = new SearchResponse { Fusion = fusion.Mode };
        if (fusion.Mode is FusionMode.Rrf or FusionMode.Weighted)
        {
            response.DenseWeight = fusion.DenseWeight;
            if (fusion.Mode == FusionMode.Rrf) response.RrfK = fusion.RrfK;
        }
        var collection = request.Collection;
        var filter = QdrantFilter.From(request.Filter);
        var dense = fusion.Mode != FusionMode.SparseOnly && request.DenseQuery.Count > 0
            ? new QdrantPrefetch(JsonSerializer.SerializeToNode(request.DenseQuery.ToArray(), QdrantJsonContext.Default.SingleArray)!, DenseVector, filter,
                request.Ef > 0 || request.Exact ? new QdrantSearchParams(request.Ef > 0 ? request.Ef : null, request.Exact ? true : null) : null, 0)
            : null;
        var sparse = fusion.Mode != FusionMode.DenseOnly && request.SparseQuery is { Indices.Count: > 0 } terms
            ? new QdrantPrefetch(JsonSerializer.SerializeToNode(new QdrantSparseVector([.. terms.Indices], [.. terms.Values]), QdrantJsonContext.Default.QdrantSparseVector)!,
                SparseVector, filter, null, 0)
            : null;
        if (dense is null && sparse is null) return response;

        var candidates = Math.Max(MinFusionCandidates, request.TopK * 4);
        var hybrid = dense is not null && sparse is not null;
        var ranked = !hybrid
            ? await TopAsync(request, fetch => client.QueryAsync(collection, Single((dense ?? sparse)!, fetch), cancellationToken))
            : fusion.Mode == FusionMode.Weighted || fusion.DenseWeight != 0.5f
                ? await FusedHereAsync(collection, dense!, sparse!, candidates, fusion, cancellationToken)
                : await TopAsync(request, fetch => client.QueryAsync(collection, Rrf(dense!, sparse!, Math.Max(candidates, fetch), fetch, fusion.RrfK), cancellationToken));

        var seenDocuments = new HashSet<string>(StringComparer.Ordinal);
        var chosen = ranked
            .Where(r => !request.GroupByDocument || seenDocuments.Add(r.DocumentId))
            .Take(request.TopK)
            .ToList();
        var points = (await ReadPointsAsync(collection, [.. chosen.Select(r => r.Id)], cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var (denseScores, sparseScores) = hybrid
            ? await ScoresAsync(collection, dense!, sparse!, [.. chosen.Select(r => r.Id)], cancellationToken)
            : ([], []);
        foreach (var hit in chosen)
        {
            if (!points.TryGetValue(hit.PointId, out var point)) continue; // deleted since it was ranked
            var scored = new ScoredPoint { Point = point, Score = hit.Score };
            if (!hybrid && dense is not null) scored.DenseScore = hit.Score;
            if (!hybrid && sparse is not null) scored.SparseScore = hit.Score;
            if (denseScores.TryGetValue(hit.Id, out var d)) scored.DenseScore = d;
            if (sparseScores.TryGetValue(hit.Id, out var s)) scored.SparseScore = s;
            response.Hits.Add(scored);
        }
        return response;
    }

    /// <summary>One vector's top <paramref name="limit"/>.</summary>
    private static QdrantQuery Single(QdrantPrefetch search, int limit) =>
        new(search.Query, search.Using, search.Filter, search.Params, limit, WithPayload: RankingFields);

    /// <summary>Both vectors' top lists fused by Qdrant's plain RRF, whose k counts positions from 0 (ours from 1).</summary>
    private static QdrantQuery Rrf(QdrantPrefetch dense, QdrantPrefetch sparse, int candidates, int limit, int rrfK)
    {
        var query = JsonSerializer.SerializeToNode(new QdrantRrfQuery(new QdrantRrf(rrfK + 1)), QdrantJsonContext.Default.QdrantRrfQuery)!;
        return new QdrantQuery(query, null, null, null, limit, [dense with { Limit = candidates }, sparse with { Limit = candidates }], RankingFields);
    }

    /// <summary>
    /// The best <c>top_k</c>; grouped by document, fetched until k documents are among them (or there are no more): a
    /// document ranks by its best point, so the first k documents of the best points are the k best documents.
    /// </summary>
    private static async Task<List<RankedPoint>> TopAsync(SearchRequest request, Func<int, Task<List<QdrantRecord>>> query)
    {
        for (var fetch = request.TopK; ; fetch *= 4)
        {
            var top = Ranked((await query(fetch)).Select(r => (r, r.Score ?? 0)));
            if (!request.GroupByDocument || top.Count < fetch || top.Select(r => r.DocumentId).Distinct(StringComparer.Ordinal).Count() >= request.TopK) return top;
        }
    }

    /// <summary>Both ranked lists from one batch request, fused here by the settings' fusion.</summary>
    private async Task<List<RankedPoint>> FusedHereAsync(string collection, QdrantPrefetch dense, QdrantPrefetch sparse, int candidates, FusionSettings fusion,
        CancellationToken cancellationToken)
    {
        var lists = await client.QueryBatchAsync(collection, new QdrantQueryBatch([Single(dense, candidates), Single(sparse, candidates)]), cancellationToken);
        var points = new List<RankedPoint>();
        var keys = new Dictionary<Guid, int>();
        // Each list in score-then-id order first, so equal scores take the same ranks as in the embedded store.
        List<KeyValuePair<int, float>> Keyed(List<QdrantRecord> list) => [.. Ranked(list.Select(r => (r, r.Score ?? 0))).Select(point =>
        {
            if (!keys.TryGetValue(point.Id, out var key))
            {
                keys[point.Id] = key = points.Count;
                points.Add(point);
            }
            return KeyValuePair.Create(key, point.Score);
        })];
        var (denseRanking, sparseRanking) = (Keyed(lists[0]), Keyed(lists[1]));
        var fused = fusion.Mode == FusionMode.Weighted
            ? HybridFusion.Weighted(denseRanking, sparseRanking, fusion.DenseWeight)
            : HybridFusion.ReciprocalRank(denseRanking, sparseRanking, fusion.RrfK, fusion.DenseWeight);
        return [.. fused.Select(f => points[f.Key] with { Score = f.Value }).OrderByDescending(p => p.Score).ThenBy(p => p.PointId, StringComparer.Ordinal)];
    }

    /// <summary>The dense and sparse scores of the given points alone (exact, so none is missed; no sparse score without a common term).</summary>
    private async Task<(Dictionary<Guid, float> Dense, Dictionary<Guid, float> Sparse)> ScoresAsync(string collection, QdrantPrefetch dense, QdrantPrefetch sparse,
        IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return ([], []);
        var only = new QdrantFilterBody([QdrantFilter.HasId(ids)], null, null);
        var lists = await client.QueryBatchAsync(collection, new QdrantQueryBatch(
        [
            new QdrantQuery(dense.Query, DenseVector, only, new QdrantSearchParams(null, true), ids.Count, WithPayload: JsonValue.Create(false)),
            new QdrantQuery(sparse.Query, SparseVector, only, null, ids.Count, WithPayload: JsonValue.Create(false)),
        ]), cancellationToken);
        return (lists[0].ToDictionary(r => r.Id, r => r.Score ?? 0), lists[1].ToDictionary(r => r.Id, r => r.Score ?? 0));
    }

    /// <summary>Best first, equal scores in point id order (as the embedded store orders them).</summary>
    private static List<RankedPoint> Ranked(IEnumerable<(QdrantRecord Record, float Score)> scored) =>
        [.. scored
            .Select(s => new RankedPoint(s.Record.Id, QdrantPayload.String(s.Record.Payload ?? [], QdrantPayload.PointId),
                QdrantPayload.String(s.Record.Payload ?? [], QdrantPayload.DocumentId), s.Score))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.PointId, StringComparer.Ordinal)];

    private sealed record RankedPoint(Guid Id, string PointId, string DocumentId, float Score);
}
