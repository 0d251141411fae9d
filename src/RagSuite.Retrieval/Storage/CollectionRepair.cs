using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// <c>ragsuite store check</c> and <c>ragsuite store repair</c>, run with the server stopped. Check reads every
/// collection as a start-up would and changes nothing. Repair moves a collection's whole directory aside, untouched,
/// to <c>{data}/damaged/</c>, and builds the collection again from every intact log record in it: records after
/// damage are found again by their frame markers, and the manifest comes from a log segment's copy when
/// <c>collection.json</c> is lost. The index is rebuilt from the log, which always holds every live point.
/// </summary>
public static class CollectionRepair
{
    public sealed record CheckResult(string Collection, string? Problem);

    public sealed record RepairResult(string Collection, string MovedTo, int RecoveredRecords, long DocumentCount, IReadOnlyList<string> Losses);

    public static IReadOnlyList<CheckResult> Check(string dataDirectory)
    {
        using var store = StoreDirectory.Lock(dataDirectory);
        return [.. store.CollectionDirectories().Select(d => new CheckResult(Path.GetFileName(d), StoredCollection.Verify(d)))];
    }

    public static RepairResult Repair(string dataDirectory, string collection, RetrieverOptions options)
    {
        using var store = StoreDirectory.Lock(dataDirectory);
        var directory = Path.Combine(store.Collections, collection);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"There is no collection '{collection}' in '{store.Root}'.");

        var aside = Path.Combine(store.Root, "damaged", $"{collection}-{DateTime.UtcNow:yyyyMMddTHHmmssZ}");
        Directory.CreateDirectory(Path.GetDirectoryName(aside)!);
        Directory.Move(directory, aside);
        DirectorySync.Flush(store.Collections);

        var losses = new List<string>();
        var manifest = RecoverManifest(aside, collection, losses);
        var records = new List<byte[]>();
        foreach (var number in LogSegment.Numbers(aside))
        {
            RecoverRecords(Path.Combine(aside, LogSegment.NameOf(number)), records, losses);
        }

        // Built under a hidden name, as a create is, and renamed into place once complete.
        var building = Path.Combine(store.Collections, $".creating-{Guid.NewGuid():N}");
        Directory.CreateDirectory(building);
        StoredCollection.WriteManifest(building, manifest);
        using (var log = CollectionLog.Open(building, manifest, sync: false))
        {
            foreach (var chunk in records.Chunk(256))
            {
                log.Append([.. chunk.Select(payload => DocumentRecord.Decode(payload).Write)], options.SegmentBytes);
            }
            foreach (var segment in log.Segments) segment.Flush();
        }
        Directory.Move(building, directory);
        DirectorySync.Flush(store.Collections);

        // Opening replays the recovered log and closing writes its checkpoint, so the next start is quick.
        using var repaired = StoredCollection.Open(directory, options);
        return new RepairResult(collection, aside, records.Count, repaired.Describe().DocumentCount, losses);
    }

    private static Collection RecoverManifest(string directory, string collection, List<string> losses)
    {
        try
        {
            return StoredCollection.ReadManifest(directory, collection);
        }
        catch (StoreDamageException e)
        {
            losses.Add($"{StoredCollection.ManifestFile}: {e.Problem}; restored from a log segment's copy");
        }
        foreach (var number in LogSegment.Numbers(directory))
        {
            try
            {
                using var stream = File.OpenRead(Path.Combine(directory, LogSegment.NameOf(number)));
                var (manifest, _) = LogSegment.ReadHeader(stream, LogSegment.NameOf(number));
                if (manifest.Name == collection) return manifest;
            }
            catch (StoreDamageException)
            {
                // Try the next segment's copy.
            }
        }
        throw new InvalidDataException($"Collection '{collection}' has no readable {StoredCollection.ManifestFile} and no log segment with a readable copy of it; nothing was changed beyond moving it aside.");
    }

    /// <summary>Every intact record of a segment file; damaged stretches are skipped to the next intact frame and reported.</summary>
    private static void RecoverRecords(string path, List<byte[]> records, List<string> losses)
    {
        var name = Path.GetFileName(path);
        var bytes = File.ReadAllBytes(path);
        int at;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            at = LogSegment.ReadHeader(stream, name).Bytes;
        }
        catch (StoreDamageException e)
        {
            losses.Add($"{name}: {e.Problem}; searching for records after it");
            var first = RecordFrame.FindNextIntact(bytes, 0);
            at = first < 0 ? bytes.Length : first;
        }
        while (at < bytes.Length)
        {
            var frame = RecordFrame.Read(bytes.AsSpan(at));
            if (frame.Status == FrameStatus.Intact && TryDecode(bytes.AsSpan(at + RecordFrame.HeaderBytes, frame.PayloadBytes)) is { } payload)
            {
                records.Add(payload);
                at += RecordFrame.Size(frame.PayloadBytes);
                continue;
            }
            var next = RecordFrame.FindNextIntact(bytes, at + 1);
            var end = next < 0 ? bytes.Length : next;
            losses.Add(frame.Status == FrameStatus.Incomplete && next < 0
                ? $"{name} at byte {at}: {end - at} bytes of an unfinished last write"
                : $"{name} at byte {at}: {end - at} bytes lost ({frame.Problem ?? "the record cannot be read"})");
            at = end;
        }
    }

    private static byte[]? TryDecode(ReadOnlySpan<byte> payload)
    {
        try
        {
            DocumentRecord.Decode(payload);
            return payload.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
