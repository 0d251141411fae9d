using System.Buffers;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// A collection's write-ahead log as numbered segments. Writes are appended to the newest segment, many documents
/// per fsync; a segment that passes its size limit is sealed and a new one started. Every live point's bytes stay
/// in the log, where searches read them back, so the in-memory index holds only what scoring needs. Segments are
/// only ever removed from the front, once nothing live is in them, so replaying what remains always rebuilds the
/// collection.
/// </summary>
internal sealed class CollectionLog : IPointSource, IDisposable
{
    private const int VerifyWindowBytes = 4 << 20;

    private readonly string _directory;
    private readonly Collection _manifest;
    private readonly bool _sync;
    // Replaced, never changed in place, so readers on other threads always see a whole array.
    private volatile LogSegment[] _segments;

    private CollectionLog(string directory, Collection manifest, bool sync, LogSegment[] segments)
    {
        _directory = directory;
        _manifest = manifest;
        _sync = sync;
        _segments = segments;
    }

    public LogPosition End => new(Active.Number, Active.Length);

    /// <summary>Where replay starts without a checkpoint: the first record of the first segment.</summary>
    public LogPosition Start => _segments.Length == 0 ? new(1, 0) : new(_segments[0].Number, _segments[0].HeaderBytes);

    public bool Has(int segment) => _segments.Any(s => s.Number == segment);

    public long Bytes => _segments.Sum(s => s.Length - s.HeaderBytes);

    public IReadOnlyList<LogSegment> Segments => _segments;

    private LogSegment Active => _segments[^1];

    /// <summary>Opens the segments in the directory, or starts the first; a gap in their numbers is damage.</summary>
    public static CollectionLog Open(string directory, Collection manifest, bool sync, bool readOnly = false)
    {
        var numbers = LogSegment.Numbers(directory);
        var segments = new List<LogSegment>();
        try
        {
            for (var i = 0; i < numbers.Count; i++)
            {
                if (i > 0 && numbers[i] != numbers[i - 1] + 1)
                {
                    throw new StoreDamageException(LogSegment.NameOf(numbers[i - 1] + 1), 0, "the log segment is missing");
                }
                segments.Add(LogSegment.Open(directory, numbers[i], readOnly));
            }
            if (segments.Count == 0 && !readOnly) segments.Add(LogSegment.Create(directory, 1, manifest));
            return new CollectionLog(directory, manifest, sync, [.. segments]);
        }
        catch
        {
            segments.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Every record from <paramref name="from"/> on, in order, with where its points lie. An unfinished write at the
    /// very end (the one a crash interrupted, never acknowledged) is cut off and its size returned; anything else
    /// that does not read back is damage.
    /// </summary>
    public long Replay(LogPosition from, Action<DocumentWrite, PointLocation[], int, int> apply, bool cutTornTail = true)
    {
        if (_segments.Length == 0) return 0;
        var first = Array.FindIndex(_segments, s => s.Number == from.Segment);
        if (first < 0) throw new StoreDamageException(LogSegment.NameOf(from.Segment), 0, "the log segment the index checkpoint continues from is missing");
        for (var i = first; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            var start = i == first ? from.Offset : segment.HeaderBytes;
            if (start > segment.Length) throw new StoreDamageException(segment.FileName, segment.Length, $"the file is shorter than the index checkpoint says ({start} bytes)");
            var bytes = segment.ReadAt(start, checked((int)(segment.Length - start)));
            var at = 0;
            while (at < bytes.Length)
            {
                var frame = RecordFrame.Read(bytes.AsSpan(at));
                var tail = frame.Status == FrameStatus.Incomplete || bytes.AsSpan(at).IndexOfAnyExcept((byte)0) < 0;
                if (tail && i == _segments.Length - 1)
                {
                    if (cutTornTail) segment.Truncate(start + at);
                    return bytes.Length - at;
                }
                if (frame.Status != FrameStatus.Intact) throw new StoreDamageException(segment.FileName, start + at, frame.Problem ?? "unfinished record before the end of the log");
                var recordOffset = start + at + RecordFrame.HeaderBytes;
                DocumentWrite write;
                int[] offsets, lengths;
                try
                {
                    (write, offsets, lengths) = DocumentRecord.Decode(bytes.AsSpan(at + RecordFrame.HeaderBytes, frame.PayloadBytes));
                }
                catch (InvalidDataException e)
                {
                    throw new StoreDamageException(segment.FileName, start + at, $"the record cannot be read ({e.Message})");
                }
                var locations = new PointLocation[offsets.Length];
                for (var p = 0; p < locations.Length; p++) locations[p] = new PointLocation(segment.Number, recordOffset + offsets[p], lengths[p]);
                apply(write, locations, segment.Number, RecordFrame.Size(frame.PayloadBytes));
                at += RecordFrame.Size(frame.PayloadBytes);
            }
        }
        return 0;
    }

    /// <summary>
    /// Checks every frame before <paramref name="until"/> (what a checkpoint covers, so replay skipped it): those
    /// records still hold the live points' texts and vectors. Safe while writes go on; a segment removed meanwhile
    /// held nothing live and is skipped.
    /// </summary>
    public void Verify(LogPosition until)
    {
        // One window reused throughout, so checking a large log neither holds it in memory nor leaves it as garbage.
        var buffer = new byte[VerifyWindowBytes];
        foreach (var segment in _segments.Where(s => s.Number <= until.Segment))
        {
            var end = segment.Number == until.Segment ? until.Offset : segment.Length;
            try
            {
                if (end > segment.Length) throw new StoreDamageException(segment.FileName, segment.Length, $"the file is shorter than the index checkpoint says ({end} bytes)");
                for (long position = segment.HeaderBytes; position < end;)
                {
                    var window = buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - position));
                    segment.ReadAt(position, window);
                    var at = 0;
                    while (at < window.Length)
                    {
                        var frame = RecordFrame.Read(window[at..]);
                        if (frame.Status == FrameStatus.Incomplete && position + window.Length < end)
                        {
                            // The record runs past the window: read on from it, in a window that holds it whole.
                            if (at == 0) buffer = new byte[(int)Math.Min(RecordFrame.Size(frame.PayloadBytes), end - position)];
                            break;
                        }
                        if (frame.Status != FrameStatus.Intact) throw new StoreDamageException(segment.FileName, position + at, frame.Problem ?? "damaged record");
                        at += RecordFrame.Size(frame.PayloadBytes);
                    }
                    position += at;
                }
            }
            catch (ObjectDisposedException)
            {
                // Removed from the front of the log since: nothing live was in it.
            }
        }
    }

    /// <summary>
    /// Appends the writes with one fsync, starting a new segment first when the active one is full, and returns where
    /// each write's points and record lie.
    /// </summary>
    public List<(PointLocation[] Points, int Segment, int RecordBytes)> Append(IReadOnlyList<DocumentWrite> writes, long segmentBytes)
    {
        if (Active.Length - Active.HeaderBytes >= segmentBytes) _segments = [.. _segments, LogSegment.Create(_directory, Active.Number + 1, _manifest)];
        var encoded = writes.Select(DocumentRecord.Encode).ToList();
        var length = checked((int)encoded.Sum(e => (long)RecordFrame.Size(e.Payload.Length)));
        // Pooled: a commit's frames run to megabytes, and a fresh array each time would pile up on the large-object heap.
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var placed = new List<(PointLocation[], int, int)>(writes.Count);
        var at = 0;
        var segment = Active;
        foreach (var (payload, offsets) in encoded)
        {
            payload.CopyTo(buffer, at + RecordFrame.HeaderBytes);
            RecordFrame.WriteHeader(buffer.AsSpan(at), payload.Length);
            var payloadStart = segment.Length + at + RecordFrame.HeaderBytes;
            var locations = new PointLocation[offsets.Length];
            for (var p = 0; p < offsets.Length; p++)
            {
                var end = p + 1 < offsets.Length ? offsets[p + 1] - 4 : payload.Length;
                locations[p] = new PointLocation(segment.Number, payloadStart + offsets[p], end - offsets[p]);
            }
            placed.Add((locations, segment.Number, RecordFrame.Size(payload.Length)));
            at += RecordFrame.Size(payload.Length);
        }
        try
        {
            segment.Append(buffer.AsSpan(0, length), _sync);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return placed;
    }

    public Point Read(PointLocation location) => Point.Parser.ParseFrom(SegmentOf(location).ReadAt(location.Offset, location.Length));

    public void ReadDense(PointLocation location, Span<float> destination)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(location.Length);
        try
        {
            var point = bytes.AsSpan(0, location.Length);
            SegmentOf(location).ReadAt(location.Offset, point);
            // Packed, as this log writes floats; anything else is parsed whole.
            if (!PointWire.TryReadDense(point, destination)) IPointSource.CopyDense(Point.Parser.ParseFrom(point), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private LogSegment SegmentOf(PointLocation location)
    {
        var segments = _segments;
        return segments[location.Segment - segments[0].Number];
    }

    /// <summary>Removes segments from the front while <paramref name="removable"/> allows, never the active one.</summary>
    public void RemoveLeading(Func<int, bool> removable)
    {
        var removed = 0;
        while (removed < _segments.Length - 1 && removable(_segments[removed].Number)) removed++;
        if (removed == 0) return;
        var gone = _segments[..removed];
        _segments = _segments[removed..];
        foreach (var segment in gone)
        {
            segment.Dispose();
            File.Delete(segment.Path);
        }
        DirectorySync.Flush(_directory);
    }

    public void Dispose()
    {
        foreach (var segment in _segments) segment.Dispose();
    }
}
