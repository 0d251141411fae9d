using Google.Protobuf;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// One collection on disk and in memory. Its directory holds <c>collection.json</c> (name and configuration), the
/// log segments (<see cref="CollectionLog"/>) and <c>index.bin</c> (<see cref="IndexCheckpoint"/>). Writes are
/// committed in groups: whoever holds the write gate logs every write waiting at that moment with one fsync, then
/// applies them to memory. Searches read memory under a shared lock, so they never wait for the disk.
/// </summary>
internal sealed class StoredCollection : IDisposable
{
    public const string ManifestFile = "collection.json";

    /// <summary>Live documents moved out of the oldest segment per commit: a bound on how long compaction holds writers.</summary>
    private const long CompactionStepBytes = 4L * 1024 * 1024;

    private readonly string _directory;
    private readonly RetrieverOptions _options;
    private readonly CollectionLog _log;
    private readonly CollectionIndex _index;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Queue<PendingWrite> _pending = new();
    private LogPosition _applied;
    private LogPosition? _unverified;
    private LogPosition? _checkpointed;  // guarded by _pending: set by the checkpoint task, read by committers
    private long _loggedSinceCheckpoint;
    private long _lastCheckpointBytes;
    private Task _checkpointing = Task.CompletedTask;

    private StoredCollection(string directory, Collection manifest, RetrieverOptions options, CollectionLog log, CollectionIndex index, LogPosition applied)
    {
        _directory = directory;
        Manifest = manifest;
        _options = options;
        _log = log;
        _index = index;
        _applied = applied;
    }

    public Collection Manifest { get; }

    public string Name => Manifest.Name;

    /// <summary>Bytes of an unfinished write cut off the end of the log when the collection was opened (0 after a clean stop).</summary>
    public long DiscardedLogBytes { get; private init; }

    /// <summary>Log records replayed on top of the checkpoint when the collection was opened.</summary>
    public int ReplayedRecords { get; private init; }

    public static StoredCollection Create(string directory, Collection manifest, RetrieverOptions options)
    {
        WriteManifest(directory, manifest);
        return Open(directory, options);
    }

    public static void WriteManifest(string directory, Collection manifest) =>
        AtomicFile.Write(Path.Combine(directory, ManifestFile),
            stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(manifest))));

    /// <summary>The collection's manifest; <see cref="StoreDamageException"/> when it is missing or unreadable.</summary>
    public static Collection ReadManifest(string directory, string? name = null)
    {
        var path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path)) throw new StoreDamageException(ManifestFile, 0, "the file is missing");
        try
        {
            var manifest = Collection.Parser.ParseJson(File.ReadAllText(path));
            if (manifest.Name != (name ?? Path.GetFileName(directory)) || manifest.Config?.Bm25 is null)
            {
                throw new InvalidDataException($"it names collection '{manifest.Name}' or lacks its configuration");
            }
            return manifest;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or InvalidDataException or FormatException)
        {
            throw new StoreDamageException(ManifestFile, 0, $"the file cannot be read ({e.Message})");
        }
    }

    /// <summary>Loads the checkpoint if there is one and replays the log after it; damage anywhere is a <see cref="StoreDamageException"/>.</summary>
    public static StoredCollection Open(string directory, RetrieverOptions options)
    {
        var manifest = ReadManifest(directory);
        var log = CollectionLog.Open(directory, manifest, options.SyncWrites);
        try
        {
            var (index, checkpointed, replayed, replayedBytes, discarded) = Load(directory, manifest, log, readOnly: false);
            var collection = new StoredCollection(directory, manifest, options, log, index, log.End)
            {
                _unverified = checkpointed,
                DiscardedLogBytes = discarded,
                ReplayedRecords = replayed,
                Checkpointed = checkpointed,
                _loggedSinceCheckpoint = replayedBytes,
            };
            // A checkpoint an earlier version wrote is replaced at once, so the next start loads instead of replaying.
            if (checkpointed is null && IndexCheckpoint.Exists(directory)) collection._checkpointing = Task.Run(collection.TryCheckpoint);
            return collection;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Reads a collection as <see cref="Open"/> would, changing nothing on disk: the problem it finds, or null.</summary>
    public static string? Verify(string directory)
    {
        try
        {
            var manifest = ReadManifest(directory);
            using var log = CollectionLog.Open(directory, manifest, sync: false, readOnly: true);
            Load(directory, manifest, log, readOnly: true);
            return null;
        }
        catch (StoreDamageException e)
        {
            return e.Message;
        }
    }

    private static (CollectionIndex Index, LogPosition? Checkpointed, int Replayed, long ReplayedBytes, long Discarded) Load(
        string directory, Collection manifest, CollectionLog log, bool readOnly)
    {
        LogPosition? checkpointed = null;
        CollectionIndex index;
        LogPosition from;
        var hasCheckpoint = IndexCheckpoint.Exists(directory);
        if (hasCheckpoint && IndexCheckpoint.Read(directory, manifest.Config, log) is { } checkpoint)
        {
            (index, from) = checkpoint;
            checkpointed = from;
        }
        else
        {
            // Segments leave the front of the log only once a checkpoint covers them and nothing live is left in them,
            // so the log rebuilds the collection. Without any checkpoint, though, the log must start at 1.
            if (!hasCheckpoint && log.Start.Segment != 1) throw new StoreDamageException(LogSegment.NameOf(1), 0, "the log's first segment is missing and no index checkpoint covers it");
            index = new CollectionIndex(manifest.Config.DenseDimension, manifest.Config.Bm25, log, manifest.Config.DenseIndex, manifest.Config.DenseDistance);
            from = log.Start;
        }
        foreach (var segment in index.UsedSegments)
        {
            if (!log.Has(segment)) throw new StoreDamageException(LogSegment.NameOf(segment), 0, "the log segment is missing but holds live points");
        }
        if (readOnly) log.Verify(from);
        var replayed = 0;
        long replayedBytes = 0;
        var discarded = log.Replay(from, (write, locations, segment, recordBytes) =>
        {
            index.Apply(write, locations, segment, recordBytes);
            replayed++;
            replayedBytes += recordBytes;
        }, cutTornTail: !readOnly);
        return (index, checkpointed, replayed, replayedBytes, discarded);
    }

    /// <summary>
    /// Checks the log records the checkpoint covered at open, which replay skipped, while the collection serves: on a
    /// large collection that read takes longer than loading the index, and restarts should not wait for it.
    /// </summary>
    public void VerifyCoveredLog()
    {
        if (_unverified is { } until) _log.Verify(until);
        _unverified = null;
    }

    /// <summary>
    /// Logs and applies a batch of document writes, sharing the fsync with every write that waits alongside it. Once
    /// the write is taken into a commit it runs to the end: cancelling then would leave the caller unsure whether the
    /// write happened.
    /// </summary>
    public async Task<int> WriteAsync(UpsertDocumentsRequest record, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(record);
        lock (_pending) _pending.Enqueue(pending);
        try
        {
            await _writeGate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_pending)
            {
                if (!pending.Taken)
                {
                    pending.Cancelled = true;
                    throw;
                }
            }
            return await pending.Completion.Task;
        }
        catch (ObjectDisposedException)
        {
            throw Deleted();
        }
        try
        {
            if (!pending.Completion.Task.IsCompleted) Commit();
        }
        finally
        {
            _writeGate.Release();
        }
        return await pending.Completion.Task;
    }

    /// <summary>Log appends so far, each with one fsync however many writes it carried.</summary>
    public int Commits { get; private set; }

    /// <summary>Holds every writer at the gate until disposed: lets a test line writes up for one commit.</summary>
    internal async Task<IDisposable> PauseWritesAsync()
    {
        await _writeGate.WaitAsync();
        return new Releaser(_writeGate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    /// <summary>Commits every waiting write; then one bounded step of upkeep. Runs with the write gate held.</summary>
    private void Commit()
    {
        List<PendingWrite> batch;
        lock (_pending)
        {
            batch = [.. _pending.Where(p => !p.Cancelled)];
            _pending.Clear();
            batch.ForEach(p => p.Taken = true);
        }
        try
        {
            var removed = Log([.. batch.SelectMany(p => p.Record.Documents)]);
            var at = 0;
            foreach (var pending in batch)
            {
                pending.Completion.SetResult(removed.Skip(at).Take(pending.Record.Documents.Count).Sum());
                at += pending.Record.Documents.Count;
            }
        }
        catch (Exception e)
        {
            batch.ForEach(p => p.Completion.TrySetException(e));
            return;
        }
        Compact();
        RemoveCoveredSegments();
        if (_checkpointing.IsCompleted && _loggedSinceCheckpoint >= Math.Max(_options.CheckpointBytes, _lastCheckpointBytes / 2))
        {
            _checkpointing = Task.Run(TryCheckpoint);
        }
    }

    /// <summary>Deletes the segments at the front of the log that the last checkpoint covers and nothing live is in.</summary>
    private void RemoveCoveredSegments()
    {
        if (Checkpointed is { } covered) _log.RemoveLeading(segment => segment < covered.Segment && !_index.Uses(segment));
    }

    /// <summary>Appends writes to the log, then applies them to memory; how many points each removed.</summary>
    private int[] Log(List<DocumentWrite> writes)
    {
        var placed = _log.Append(writes, _options.SegmentBytes);
        Commits++;
        var removed = new int[writes.Count];
        _lock.EnterWriteLock();
        try
        {
            for (var i = 0; i < writes.Count; i++)
            {
                removed[i] = _index.Apply(writes[i], placed[i].Points, placed[i].Segment, placed[i].RecordBytes);
                _loggedSinceCheckpoint += placed[i].RecordBytes;
            }
            _applied = _log.End;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        return removed;
    }

    /// <summary>
    /// Once most of the log is dead weight, moves a few megabytes of live documents out of the oldest segment to the
    /// end of the log, so that segment can go after the next checkpoint. Nothing is rewritten wholesale.
    /// </summary>
    private void Compact()
    {
        var segments = _log.Segments;
        if (segments.Count < 2 || _log.Bytes <= 2 * _index.LiveRecordBytes + _options.SegmentBytes) return;
        var oldest = segments[0].Number;
        var moved = new List<DocumentWrite>();
        long bytes = 0;
        foreach (var write in _index.DocumentsIn(oldest))
        {
            moved.Add(write);
            bytes += write.CalculateSize();
            if (bytes >= CompactionStepBytes) break;
        }
        if (moved.Count > 0) Log(moved);
    }

    /// <summary>
    /// Writes the index as of the last applied write to <c>index.bin</c>. Writers wait only while the index is copied
    /// out; hashing and the fsync run after the lock is let go.
    /// </summary>
    private void Checkpoint()
    {
        string unsealed;
        LogPosition position;
        _lock.EnterReadLock();
        try
        {
            position = _applied;
            unsealed = IndexCheckpoint.WriteUnsealed(_directory, position, _index);
            _loggedSinceCheckpoint = 0;
        }
        finally
        {
            _lock.ExitReadLock();
        }
        IndexCheckpoint.Seal(unsealed);
        _lastCheckpointBytes = new FileInfo(Path.Combine(_directory, IndexCheckpoint.FileName)).Length;
        Checkpointed = position;
    }

    private void TryCheckpoint()
    {
        try
        {
            Checkpoint();
        }
        catch (IOException)
        {
            // The log still holds everything: a failed checkpoint only means a longer replay at the next start, and
            // the next commit past the threshold tries again.
        }
    }

    private LogPosition? Checkpointed
    {
        get { lock (_pending) return _checkpointed; }
        set { lock (_pending) _checkpointed = value; }
    }

    public T Read<T>(Func<CollectionIndex, T> read)
    {
        try
        {
            _lock.EnterReadLock();
        }
        catch (ObjectDisposedException)
        {
            throw Deleted();
        }
        try
        {
            return read(_index);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public Collection Describe() => Read(index =>
    {
        var described = Manifest.Clone();
        described.DocumentCount = index.DocumentCount;
        described.PointCount = index.PointCount;
        return described;
    });

    // A caller that found the collection just before it was deleted.
    private RagSuiteException Deleted() => RagSuiteException.NotFound($"Collection '{Name}' was deleted.");

    /// <summary>
    /// Waits for the write in progress and for current readers, checkpoints what the log holds beyond the last
    /// checkpoint (so the next start need not replay it), then closes the log.
    /// </summary>
    public void Dispose() => Close(checkpoint: true);

    /// <summary>Closes without a final checkpoint: for a collection being deleted.</summary>
    public void Close(bool checkpoint)
    {
        _writeGate.Wait();
        _checkpointing.Wait();
        if (checkpoint && _loggedSinceCheckpoint > 0)
        {
            Checkpoint();
            RemoveCoveredSegments();
        }
        _lock.EnterWriteLock();
        _lock.ExitWriteLock();
        _log.Dispose();
        _lock.Dispose();
        _writeGate.Dispose();
    }

    private sealed class PendingWrite(UpsertDocumentsRequest record)
    {
        public UpsertDocumentsRequest Record { get; } = record;

        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Taken { get; set; }

        public bool Cancelled { get; set; }
    }
}
