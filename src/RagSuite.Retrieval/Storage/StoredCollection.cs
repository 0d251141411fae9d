using Google.Protobuf;
using RagSuite.Core.Errors;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// One collection on disk and in memory. Its directory holds <c>collection.json</c> (name and
/// configuration), <c>snapshot.bin</c> and <c>wal.log</c>. Writes go to the log first, then to memory,
/// one at a time; searches read memory under a shared lock, so they never wait for the disk.
/// </summary>
internal sealed class StoredCollection : IDisposable
{
    private const string ManifestFile = "collection.json";
    private const string SnapshotFileName = "snapshot.bin";
    private const string WalFile = "wal.log";

    private readonly string _directory;
    private readonly RetrieverOptions _options;
    private readonly WriteAheadLog _wal;
    private readonly CollectionIndex _index;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private StoredCollection(string directory, Collection manifest, RetrieverOptions options, WriteAheadLog wal, CollectionIndex index)
    {
        _directory = directory;
        Manifest = manifest;
        _options = options;
        _wal = wal;
        _index = index;
    }

    public Collection Manifest { get; }

    public string Name => Manifest.Name;

    /// <summary>Bytes of a torn log tail cut off when the collection was opened (0 after a clean stop).</summary>
    public long DiscardedWalBytes { get; private init; }

    public static StoredCollection Create(string directory, Collection manifest, RetrieverOptions options)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path.Combine(directory, ManifestFile),
            stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(manifest))));
        DirectorySync.Flush(Path.GetDirectoryName(directory)!);
        return Open(directory, options);
    }

    public static bool IsCollectionDirectory(string directory) => File.Exists(Path.Combine(directory, ManifestFile));

    public static StoredCollection Open(string directory, RetrieverOptions options)
    {
        var manifest = Collection.Parser.ParseJson(File.ReadAllText(Path.Combine(directory, ManifestFile)));
        var index = new CollectionIndex(manifest.Config.DenseDimension, manifest.Config.Bm25);
        foreach (var document in SnapshotFile.Read(Path.Combine(directory, SnapshotFileName)))
        {
            index.Apply(document);
        }
        var (wal, records, discarded) = WriteAheadLog.Open(Path.Combine(directory, WalFile), options.SyncWrites);
        foreach (var document in records.SelectMany(r => r.Documents))
        {
            index.Apply(document);
        }
        return new StoredCollection(directory, manifest, options, wal, index) { DiscardedWalBytes = discarded };
    }

    /// <summary>
    /// Logs and applies a batch of document writes. Once the log append starts it runs to the end:
    /// cancelling then would leave the caller unsure whether the write happened.
    /// </summary>
    public async Task<int> WriteAsync(UpsertDocumentsRequest record, CancellationToken cancellationToken)
    {
        try
        {
            await _writeGate.WaitAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            throw Deleted();
        }
        try
        {
            _wal.Append(record);
            var removed = 0;
            _lock.EnterWriteLock();
            try
            {
                foreach (var document in record.Documents)
                {
                    removed += _index.Apply(document);
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }
            if (_wal.Length > _options.CompactWalBytes) Compact();
            return removed;
        }
        finally
        {
            _writeGate.Release();
        }
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

    /// <summary>Folds the log into a new snapshot. Called with the write gate held, so nothing is written meanwhile.</summary>
    private void Compact()
    {
        Read(index =>
        {
            SnapshotFile.Write(Path.Combine(_directory, SnapshotFileName), index.Export());
            return 0;
        });
        // A crash between these two steps replays the log over a snapshot that already holds it:
        // harmless, because every record replaces whole documents.
        _wal.Reset();
    }

    // A caller that found the collection just before it was deleted.
    private RagSuiteException Deleted() => RagSuiteException.NotFound($"Collection '{Name}' was deleted.");

    /// <summary>Waits for the write in progress and for current readers, then closes the log.</summary>
    public void Dispose()
    {
        _writeGate.Wait();
        _lock.EnterWriteLock();
        _lock.ExitWriteLock();
        _wal.Dispose();
        _lock.Dispose();
        _writeGate.Dispose();
    }
}
