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

    private readonly List<IndexedPoint?> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly Dictionary<string, StoredDocumentEntry> _documents = new(StringComparer.Ordinal);
    private readonly Bm25Scorer _bm25 = new(bm25.K1, bm25.B);

    public int DenseDimension => denseDimension;

    public int DocumentCount => _documents.Count;

    public int PointCount => _bm25.Count;

    /// <summary>Replaces what <paramref name="write"/>'s document held with its points; no points deletes it.</summary>
    public int Apply(DocumentWrite write)
    {
        var removed = Remove(write.DocumentId);
        if (write.Points.Count == 0) return removed;

        var slots = new int[write.Points.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var point = write.Points[i];
            var slot = _free.Count > 0 ? _free.Pop() : Append();
            _slots[slot] = new IndexedPoint(point, point.Dense.Count > 0 ? UnitVector(point.Dense) : null);
            _bm25.Add(slot, point.Sparse ?? new SparseVector());
            slots[i] = slot;
        }
        _documents[write.DocumentId] = new StoredDocumentEntry(write.ContentHash, slots);
        return removed;
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

        var sparse = fusion == FusionMode.DenseOnly
            ? []
            : _bm25.Score(request.SparseQuery ?? new SparseVector(), Accepts);
        var dense = fusion == FusionMode.SparseOnly
            ? []
            : DenseScores(UnitVector(request.DenseQuery), Accepts);

        var candidates = Math.Max(MinFusionCandidates, request.TopK * 4);
        var fused = fusion switch
        {
            FusionMode.SparseOnly => sparse,
            FusionMode.DenseOnly => dense,
            FusionMode.Weighted => HybridFusion.Weighted(Ranked(dense).Take(candidates), Ranked(sparse).Take(candidates), denseWeight),
            _ => HybridFusion.ReciprocalRank(Ranked(dense).Take(candidates), Ranked(sparse).Take(candidates), rrfK, denseWeight),
        };

        var response = new SearchResponse { Fusion = fusion };
        if (fusion is FusionMode.Rrf or FusionMode.Weighted)
        {
            response.DenseWeight = denseWeight;
            if (fusion == FusionMode.Rrf) response.RrfK = rrfK;
        }
        var seenDocuments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (slot, score) in Ranked(fused))
        {
            var point = _slots[slot]!.Point;
            if (request.GroupByDocument && !seenDocuments.Add(point.DocumentId)) continue;
            var hit = new ScoredPoint { Point = WithoutVectors(point), Score = score };
            if (dense.TryGetValue(slot, out var d)) hit.DenseScore = d;
            if (sparse.TryGetValue(slot, out var s)) hit.SparseScore = s;
            response.Hits.Add(hit);
            if (response.Hits.Count == request.TopK) break;
        }
        return response;
    }

    private int Remove(string documentId)
    {
        if (!_documents.Remove(documentId, out var entry)) return 0;
        foreach (var slot in entry.Slots)
        {
            _bm25.Remove(slot, _slots[slot]!.Point.Sparse ?? new SparseVector());
            _slots[slot] = null;
            _free.Push(slot);
        }
        return entry.Slots.Length;
    }

    private int Append()
    {
        _slots.Add(null);
        return _slots.Count - 1;
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

    private IOrderedEnumerable<KeyValuePair<int, float>> Ranked(Dictionary<int, float> scores) =>
        scores.OrderByDescending(s => s.Value).ThenBy(s => _slots[s.Key]!.Point.Id, StringComparer.Ordinal);

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
