using System.Numerics.Tensors;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// The searchable in-memory state of one collection: its points, which document owns which points,
/// the BM25 inverted index and unit-length dense vectors. Not thread-safe; <see cref="StoredCollection"/>
/// guards it. Results are ordered by score, then by point id, so equal scores come back in the same
/// order however the index was built (a fresh start replays in a different order than it was written).
/// </summary>
internal sealed class CollectionIndex(int denseDimension, Bm25Parameters bm25, IPointSource source, DenseIndexParameters? denseIndex = null,
    DenseDistance distance = DenseDistance.Cosine)
{
    /// <summary>How many of each ranking hybrid fusion considers, at least.</summary>
    private const int MinFusionCandidates = 100;

    /// <summary>Removed slots tolerated before the live points are renumbered, at least (and at least as many as live ones).</summary>
    private const int MinRenumbering = 1024;

    // Slots only grow, so posting lists stay sorted by appending; removed points leave a null until renumbering.
    private List<IndexedPoint?> _slots = [];
    private readonly Dictionary<string, StoredDocumentEntry> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<int, SegmentUsage> _segments = [];
    private Bm25Scorer _bm25 = new(bm25.K1, bm25.B);
    private DenseIndex? _dense = denseDimension > 0 ? new DenseIndex(denseDimension, denseIndex) : null;

    public int DenseDimension => denseDimension;

    public int DocumentCount => _documents.Count;

    public int PointCount => _bm25.Count;

    public IPointSource Source => source;

    /// <summary>Bytes of the log records that hold live documents.</summary>
    public long LiveRecordBytes { get; private set; }

    /// <summary>
    /// Replaces what <paramref name="write"/>'s document held with its points, whose full records lie at
    /// <paramref name="locations"/> in log segment <paramref name="segment"/>; no points deletes the document.
    /// </summary>
    public int Apply(DocumentWrite write, PointLocation[] locations, int segment, int recordBytes)
    {
        var removed = Remove(write.DocumentId);
        if (_slots.Count - _bm25.Count > Math.Max(MinRenumbering, _bm25.Count)) Renumber();
        if (write.Points.Count == 0) return removed;

        var slots = new int[write.Points.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var point = write.Points[i];
            slots[i] = _slots.Count;
            _slots.Add(new IndexedPoint(Light(point, write.DocumentId), locations[i]));
            _bm25.Add(slots[i], point.Sparse ?? new SparseVector());
            if (Compared(point.Dense) is { } vector) _dense!.Add(slots[i], vector);
        }
        _documents[write.DocumentId] = new StoredDocumentEntry(write.ContentHash, slots, segment, recordBytes);
        Use(segment, 1, recordBytes);
        return removed;
    }

    /// <summary>The segments that hold live documents' records.</summary>
    public IEnumerable<int> UsedSegments => _segments.Keys;

    /// <summary>Whether any live document's record lies in the segment.</summary>
    public bool Uses(int segment) => _segments.ContainsKey(segment);

    /// <summary>The live documents whose records lie in <paramref name="segment"/>, as writes that recreate them.</summary>
    public IEnumerable<DocumentWrite> DocumentsIn(int segment)
    {
        foreach (var (id, entry) in _documents.Where(d => d.Value.Segment == segment).ToList())
        {
            var write = new DocumentWrite { DocumentId = id, ContentHash = entry.ContentHash };
            write.Points.AddRange(entry.Slots.Select(s => source.Read(_slots[s]!.Location)));
            yield return write;
        }
    }

    /// <summary>
    /// Gives the live points consecutive slots again once removals have left many gaps. New slots keep the old
    /// order, so every posting list stays sorted and is renumbered in place.
    /// </summary>
    private void Renumber()
    {
        var renumbered = new int[_slots.Count];
        var live = new List<IndexedPoint?>(_bm25.Count);
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            renumbered[slot] = _slots[slot] is null ? -1 : live.Count;
            if (_slots[slot] is { } point) live.Add(point);
        }
        _slots = live;
        _bm25.Renumber(renumbered, live.Count);
        _dense?.Relabel(renumbered);
        foreach (var entry in _documents.Values)
        {
            for (var i = 0; i < entry.Slots.Length; i++) entry.Slots[i] = renumbered[entry.Slots[i]];
        }
    }

    /// <summary>Everything the index holds, for a checkpoint that a restart loads instead of replaying the log.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(_slots.Count);
        foreach (var indexed in _slots)
        {
            writer.Write(indexed is not null);
            if (indexed is null) continue;
            writer.Write(indexed.Point.Id);
            var metadata = indexed.Point.Metadata?.ToByteArray() ?? [];
            writer.Write(metadata.Length);
            writer.Write(metadata);
            writer.Write(indexed.Location.Segment);
            writer.Write(indexed.Location.Offset);
            writer.Write(indexed.Location.Length);
        }
        writer.Write(_documents.Count);
        foreach (var (id, entry) in _documents)
        {
            writer.Write(id);
            writer.Write(entry.ContentHash);
            writer.Write(entry.Segment);
            writer.Write(entry.RecordBytes);
            BinaryArrays.Write<int>(writer, entry.Slots);
        }
        _bm25.WriteTo(writer);
        writer.Write(_dense is not null);
        _dense?.WriteTo(writer);
    }

    /// <summary>An index as <see cref="WriteTo"/> wrote it; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    public static CollectionIndex ReadFrom(BinaryReader reader, int denseDimension, Bm25Parameters bm25, IPointSource source, DenseIndexParameters? denseIndex,
        DenseDistance distance)
    {
        var index = new CollectionIndex(denseDimension, bm25, source, denseIndex, distance);
        var slots = reader.ReadInt32();
        if (slots < 0 || slots > reader.BaseStream.Length) throw new InvalidDataException($"{slots} slots");
        index._slots = new List<IndexedPoint?>(slots);
        for (var i = 0; i < slots; i++)
        {
            if (!reader.ReadBoolean())
            {
                index._slots.Add(null);
                continue;
            }
            var light = new Point { Id = reader.ReadString() };
            var metadata = reader.ReadInt32();
            if (metadata > 0) light.Metadata = Struct.Parser.ParseFrom(reader.ReadBytes(metadata));
            var location = new PointLocation(reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt32());
            index._slots.Add(new IndexedPoint(light, location));
        }
        var documents = reader.ReadInt32();
        for (var i = 0; i < documents; i++)
        {
            var id = reader.ReadString();
            var entry = new StoredDocumentEntry(reader.ReadString(), [], reader.ReadInt32(), reader.ReadInt32()) { Slots = BinaryArrays.Read<int>(reader) };
            foreach (var slot in entry.Slots)
            {
                if (slot < 0 || slot >= slots || index._slots[slot] is not { } point) throw new InvalidDataException($"document '{id}' names a slot that holds no point");
                point.Point.DocumentId = id; // one string shared by the document and its points
            }
            index._documents[id] = entry;
            index.Use(entry.Segment, 1, entry.RecordBytes);
        }
        index._bm25 = Bm25Scorer.ReadFrom(reader, bm25.K1, bm25.B);
        var hasDense = reader.ReadBoolean();
        if (hasDense != denseDimension > 0) throw new InvalidDataException("the dense index does not match the collection's dimension");
        index._dense = hasDense ? DenseIndex.ReadFrom(reader, denseDimension, denseIndex) : null;
        return index;
    }

    public StoredDocument? FindDocument(string documentId) =>
        _documents.TryGetValue(documentId, out var entry)
            ? new StoredDocument { DocumentId = documentId, ContentHash = entry.ContentHash, ChunkCount = entry.Slots.Length }
            : null;

    public SearchResponse Search(SearchRequest request, FusionMode fusion, float denseWeight = 0.5f, int rrfK = 60)
    {
        // Without a filter nothing is checked per point: reaching each point's object would cost a cache miss per posting.
        var filter = MetadataFilter.Compile(request.Filter);
        Func<int, bool>? Accepts = MetadataFilter.IsEmpty(request.Filter) ? null : slot => _slots[slot] is { } p && filter(p.Point);

        var sparseQuery = request.SparseQuery ?? new SparseVector();
        var denseQuery = fusion == FusionMode.SparseOnly ? null : Compared(request.DenseQuery);
        var candidates = Math.Max(MinFusionCandidates, request.TopK * 4);
        var dense = denseQuery is null || _dense is null
            ? []
            : fusion == FusionMode.DenseOnly
                ? DenseTop(denseQuery, request, Accepts)
                : _dense.Search(denseQuery, candidates, request.Ef, request.Exact, Accepts, ReadVector).ToDictionary();
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
            var indexed = _slots[slot]!;
            if (request.GroupByDocument && !seenDocuments.Add(indexed.Point.DocumentId)) continue;
            var point = source.Read(indexed.Location);
            var hit = new ScoredPoint { Point = point, Score = score };
            if (dense.TryGetValue(slot, out var d)) hit.DenseScore = d;
            else if (denseQuery is not null && Compared(point.Dense) is { } vector) hit.DenseScore = TensorPrimitives.Dot(denseQuery, vector);
            if (fusion != FusionMode.DenseOnly && SparseScore(slot, point.Sparse) is { } sparseScore) hit.SparseScore = sparseScore;
            WithoutVectors(point);
            response.Hits.Add(hit);
            if (response.Hits.Count == request.TopK) break;
        }
        return response;

        // A fused hit outside the sparse top list may still match some query terms: score it alone.
        float? SparseScore(int slot, SparseVector? vector) =>
            sparseScores.TryGetValue(slot, out var score) ? score : _bm25.ScoreOne(sparseQuery, slot, vector);
    }

    /// <summary>Live points the filter accepts.</summary>
    public long Count(Filter? filter)
    {
        var accept = MetadataFilter.Compile(filter);
        return _slots.Count(s => s is not null && accept(s.Point));
    }

    /// <summary>Up to <paramref name="limit"/> accepted points after the id <paramref name="after"/>, in ordinal id order, without vectors.</summary>
    public Stores.ScrollPage Scroll(Filter? filter, string? after, int limit)
    {
        var accept = MetadataFilter.Compile(filter);
        var page = _slots
            .Where(s => s is not null && (after is null || string.CompareOrdinal(s.Point.Id, after) > 0) && accept(s.Point))
            .OrderBy(s => s!.Point.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .Select(s => WithoutVectors(source.Read(s!.Location)))
            .ToList();
        var next = page.Count > limit ? page[limit - 1].Id : null;
        return new Stores.ScrollPage(page.Take(limit).ToList(), next);
    }

    /// <summary>
    /// The writes that remove <paramref name="pointIds"/> from the documents holding them (each document rewritten with
    /// its other points, and no content hash, since it no longer holds all of its content), and how many of the ids exist.
    /// </summary>
    public (List<DocumentWrite> Writes, int Found) WithoutPoints(IReadOnlyCollection<string> pointIds)
    {
        var wanted = pointIds.ToHashSet(StringComparer.Ordinal);
        var found = 0;
        var writes = new List<DocumentWrite>();
        foreach (var (id, entry) in _documents)
        {
            var hit = entry.Slots.Count(s => wanted.Contains(_slots[s]!.Point.Id));
            if (hit == 0) continue;
            found += hit;
            var write = new DocumentWrite { DocumentId = id };
            write.Points.AddRange(entry.Slots.Where(s => !wanted.Contains(_slots[s]!.Point.Id)).Select(s => source.Read(_slots[s]!.Location)));
            writes.Add(write);
        }
        return (writes, found);
    }

    /// <summary>
    /// The best sparse matches for a top k. Grouped by document, points are fetched until k documents are among
    /// them (or there are no more): a document ranks by its best point, so the first k documents of the best
    /// points are the k best documents.
    /// </summary>
    private List<KeyValuePair<int, float>> SparseTop(SparseVector query, int topK, bool groupByDocument, Func<int, bool>? accept)
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

    /// <summary>The best dense matches for a top k, fetched until k documents are among them when grouped (as <see cref="SparseTop"/>).</summary>
    private Dictionary<int, float> DenseTop(float[] query, SearchRequest request, Func<int, bool>? accept)
    {
        for (var fetch = request.TopK; ; fetch *= 4)
        {
            var top = _dense!.Search(query, fetch, request.Ef, request.Exact, accept, ReadVector);
            if (!request.GroupByDocument || top.Count < fetch || top.Select(h => _slots[h.Key]!.Point.DocumentId).Distinct(StringComparer.Ordinal).Count() >= request.TopK)
            {
                return top.ToDictionary();
            }
        }
    }

    private string PointId(int slot) => _slots[slot]!.Point.Id;

    /// <summary>A point's dense vector read back from the log as the index compares it, for an int8 index's rescoring.</summary>
    private void ReadVector(int slot, Span<float> destination)
    {
        source.ReadDense(_slots[slot]!.Location, destination);
        var norm = TensorPrimitives.Norm(destination);
        if (distance == DenseDistance.Cosine && norm > 0) TensorPrimitives.Divide(destination, norm, destination);
    }

    private int Remove(string documentId)
    {
        if (!_documents.Remove(documentId, out var entry)) return 0;
        foreach (var slot in entry.Slots)
        {
            // The terms to unindex are read back from the log rather than kept twice in memory.
            _bm25.Remove(slot, source.Read(_slots[slot]!.Location).Sparse ?? new SparseVector());
            _dense?.Remove(slot);
            _slots[slot] = null;
        }
        Use(entry.Segment, -1, -entry.RecordBytes);
        return entry.Slots.Length;
    }

    private void Use(int segment, int documents, long bytes)
    {
        var usage = _segments.GetValueOrDefault(segment);
        usage = new SegmentUsage(usage.Documents + documents, usage.Bytes + bytes);
        if (usage.Documents == 0) _segments.Remove(segment);
        else _segments[segment] = usage;
        LiveRecordBytes += bytes;
    }

    private static Point WithoutVectors(Point point)
    {
        point.Dense.Clear();
        point.Sparse = null;
        return point;
    }

    private List<KeyValuePair<int, float>> Ranked(Dictionary<int, float> scores) =>
        [.. scores.OrderByDescending(s => s.Value).ThenBy(s => PointId(s.Key), StringComparer.Ordinal)];

    /// <summary>A vector as the index compares it: scaled to unit length for cosine, as it is for dot products.</summary>
    private float[]? Compared(Google.Protobuf.Collections.RepeatedField<float> values)
    {
        if (values.Count == 0) return null;
        var vector = values.ToArray();
        var norm = TensorPrimitives.Norm(vector);
        if (distance == DenseDistance.Cosine && norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    /// <summary>What filters and grouping need of a point; its text and vectors stay in the log, and empty metadata is none (as a checkpoint reads it back).</summary>
    private static Point Light(Point point, string documentId) =>
        new() { Id = point.Id, DocumentId = documentId, Metadata = point.Metadata is { Fields.Count: > 0 } metadata ? metadata : null };

    private sealed record IndexedPoint(Point Point, PointLocation Location);

    private sealed record StoredDocumentEntry(string ContentHash, int[] Slots, int Segment, int RecordBytes);

    private readonly record struct SegmentUsage(int Documents, long Bytes);
}
