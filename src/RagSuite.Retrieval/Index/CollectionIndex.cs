using System.Numerics.Tensors;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// The searchable in-memory state of one collection: its points, which document owns which points,
/// the BM25 inverted index and unit-length dense vectors. Not thread-safe; <see cref="StoredCollection"/>
/// guards it. Results are ordered by score, then by point id, so equal scores come back in the same
/// order however the index was built (a fresh start replays in a different order than it was written).
/// </summary>
internal sealed class CollectionIndex(int denseDimension, Bm25Parameters bm25)
{
    /// <summary>How many of each ranking hybrid fusion considers, at least.</summary>
    private const int MinFusionCandidates = 100;

    /// <summary>Removed slots tolerated before the live points are renumbered, at least (and at least as many as live ones).</summary>
    private const int MinRenumbering = 1024;

    // Slots only grow, so posting lists stay sorted by appending; removed points leave a null until renumbering.
    private readonly List<IndexedPoint?> _slots = [];
    private readonly Dictionary<string, StoredDocumentEntry> _documents = new(StringComparer.Ordinal);
    private Bm25Scorer _bm25 = new(bm25.K1, bm25.B);

    public int DenseDimension => denseDimension;

    public int DocumentCount => _documents.Count;

    public int PointCount => _bm25.Count;

    /// <summary>Replaces what <paramref name="write"/>'s document held with its points; no points deletes it.</summary>
    public int Apply(DocumentWrite write)
    {
        var removed = Remove(write.DocumentId);
        if (_slots.Count - _bm25.Count > Math.Max(MinRenumbering, _bm25.Count)) Renumber();
        if (write.Points.Count == 0) return removed;

        var slots = new int[write.Points.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var point = write.Points[i];
            slots[i] = Add(new IndexedPoint(point, point.Dense.Count > 0 ? UnitVector(point.Dense) : null));
        }
        _documents[write.DocumentId] = new StoredDocumentEntry(write.ContentHash, slots);
        return removed;
    }

    private int Add(IndexedPoint point)
    {
        var slot = _slots.Count;
        _slots.Add(point);
        _bm25.Add(slot, point.Point.Sparse ?? new SparseVector());
        return slot;
    }

    /// <summary>Gives the live points consecutive slots again and rebuilds the postings, once removals have left many gaps.</summary>
    private void Renumber()
    {
        var points = _slots.ToArray();
        _slots.Clear();
        _bm25 = new Bm25Scorer(bm25.K1, bm25.B);
        foreach (var (id, entry) in _documents.ToList())
        {
            _documents[id] = entry with { Slots = [.. entry.Slots.Select(s => Add(points[s]!))] };
        }
    }

    public StoredDocument? FindDocument(string documentId) =>
        _documents.TryGetValue(documentId, out var entry)
            ? new StoredDocument { DocumentId = documentId, ContentHash = entry.ContentHash, ChunkCount = entry.Slots.Length }
            : null;

    /// <summary>Every document as the write that would recreate it, for snapshots.</summary>
    public IEnumerable<DocumentWrite> Export()
    {
        foreach (var (id, entry) in _documents)
        {
            var write = new DocumentWrite { DocumentId = id, ContentHash = entry.ContentHash };
            write.Points.AddRange(entry.Slots.Select(s => _slots[s]!.Point));
            yield return write;
        }
    }

    public SearchResponse Search(SearchRequest request, FusionMode fusion, float denseWeight = 0.5f, int rrfK = 60)
    {
        var accept = MetadataFilter.Compile(request.Filter);
        bool Accepts(int slot) => _slots[slot] is { } p && accept(p.Point);

        var sparseQuery = request.SparseQuery ?? new SparseVector();
        var dense = fusion == FusionMode.SparseOnly
            ? []
            : DenseScores(UnitVector(request.DenseQuery), Accepts);

        var candidates = Math.Max(MinFusionCandidates, request.TopK * 4);
        var sparse = fusion switch
        {
            FusionMode.DenseOnly => [],
            FusionMode.SparseOnly => SparseTop(sparseQuery, request.TopK, request.GroupByDocument, Accepts),
            _ => _bm25.TopK(sparseQuery, candidates, Accepts, PointId),
        };
        var ranked = fusion switch
        {
            FusionMode.SparseOnly => sparse,
            FusionMode.DenseOnly => Ranked(dense),
            FusionMode.Weighted => Ranked(HybridFusion.Weighted(Ranked(dense).Take(candidates), sparse, denseWeight)),
            _ => Ranked(HybridFusion.ReciprocalRank(Ranked(dense).Take(candidates), sparse, rrfK, denseWeight)),
        };

        var response = new SearchResponse { Fusion = fusion };
        if (fusion is FusionMode.Rrf or FusionMode.Weighted)
        {
            response.DenseWeight = denseWeight;
            if (fusion == FusionMode.Rrf) response.RrfK = rrfK;
        }
        var sparseScores = sparse.ToDictionary();
        var seenDocuments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (slot, score) in ranked)
        {
            var point = _slots[slot]!.Point;
            if (request.GroupByDocument && !seenDocuments.Add(point.DocumentId)) continue;
            var hit = new ScoredPoint { Point = WithoutVectors(point), Score = score };
            if (dense.TryGetValue(slot, out var d)) hit.DenseScore = d;
            if (fusion != FusionMode.DenseOnly && SparseScore(slot, point) is { } sparseScore) hit.SparseScore = sparseScore;
            response.Hits.Add(hit);
            if (response.Hits.Count == request.TopK) break;
        }
        return response;

        // A fused hit outside the sparse top list may still match some query terms: score it alone.
        float? SparseScore(int slot, Point point) =>
            sparseScores.TryGetValue(slot, out var score) ? score : _bm25.ScoreOne(sparseQuery, slot, point.Sparse);
    }

    /// <summary>
    /// The best sparse matches for a top k. Grouped by document, points are fetched until k documents are among
    /// them (or there are no more): a document ranks by its best point, so the first k documents of the best
    /// points are the k best documents.
    /// </summary>
    private List<KeyValuePair<int, float>> SparseTop(SparseVector query, int topK, bool groupByDocument, Func<int, bool> accept)
    {
        for (var fetch = topK; ; fetch *= 4)
        {
            var top = _bm25.TopK(query, fetch, accept, PointId);
            if (!groupByDocument || top.Count < fetch || top.Select(h => _slots[h.Key]!.Point.DocumentId).Distinct(StringComparer.Ordinal).Count() >= topK)
            {
                return top;
            }
        }
    }

    private string PointId(int slot) => _slots[slot]!.Point.Id;

    private int Remove(string documentId)
    {
        if (!_documents.Remove(documentId, out var entry)) return 0;
        foreach (var slot in entry.Slots)
        {
            _bm25.Remove(slot, _slots[slot]!.Point.Sparse ?? new SparseVector());
            _slots[slot] = null;
        }
        return entry.Slots.Length;
    }

    private Dictionary<int, float> DenseScores(float[]? query, Func<int, bool> accept)
    {
        var scores = new Dictionary<int, float>();
        if (query is null) return scores;
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            if (_slots[slot]?.UnitDense is { } vector && accept(slot))
            {
                scores[slot] = TensorPrimitives.Dot(query, vector);
            }
        }
        return scores;
    }

    private List<KeyValuePair<int, float>> Ranked(Dictionary<int, float> scores) =>
        [.. scores.OrderByDescending(s => s.Value).ThenBy(s => PointId(s.Key), StringComparer.Ordinal)];

    private static float[]? UnitVector(Google.Protobuf.Collections.RepeatedField<float> values)
    {
        if (values.Count == 0) return null;
        var vector = values.ToArray();
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private static Point WithoutVectors(Point point)
    {
        var copy = point.Clone();
        copy.Dense.Clear();
        copy.Sparse = null;
        return copy;
    }

    private sealed record IndexedPoint(Point Point, float[]? UnitDense);

    private sealed record StoredDocumentEntry(string ContentHash, int[] Slots);
}
