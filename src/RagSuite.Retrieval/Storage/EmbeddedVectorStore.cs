using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// The durable local store of embedded mode: one directory per collection under <c>{DataDirectory}/collections</c>.
/// A lock file keeps a second process off the same data. Collections load in the background, so the process
/// answers health probes at once; <see cref="Loading"/> completes when every collection is loaded or found damaged.
/// A damaged collection is left exactly as it is on disk and refuses requests with the file and offset at fault,
/// while every other collection serves, until <c>ragsuite store repair</c> recovers it.
/// </summary>
public sealed partial class EmbeddedVectorStore : IDisposable
{
    private readonly RetrieverOptions _options;
    private readonly ILogger<EmbeddedVectorStore> _logger;
    private readonly StoreDirectory _store;
    private readonly ConcurrentDictionary<string, StoredCollection> _collections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _damaged = new(StringComparer.Ordinal);
    private readonly Lock _catalog = new();

    public EmbeddedVectorStore(IOptions<RetrieverOptions> options, ILogger<EmbeddedVectorStore> logger)
    {
        _options = options.Value;
        _logger = logger;
        _store = StoreDirectory.Lock(_options.DataDirectory);
        // Tidying and listing happen now, so a collection created while the others load is neither swept nor loaded twice.
        if (Directory.Exists(_store.Trash)) Directory.Delete(_store.Trash, recursive: true);
        foreach (var unfinished in Directory.GetDirectories(_store.Collections, StoreDirectory.CreatingPrefix + "*"))
        {
            // A create (or repair) that crashed before its rename: it was never acknowledged.
            Directory.Delete(unfinished, recursive: true);
        }
        var directories = _store.CollectionDirectories().ToList();
        Loading = Task.Run(() => LoadCollections(directories));
        Verification = Loading.ContinueWith(_ => VerifyCollections(), TaskScheduler.Default);
    }

    /// <summary>Completes once every collection has been loaded or found damaged.</summary>
    public Task Loading { get; }

    /// <summary>
    /// Completes once the log records behind each loaded checkpoint have been checked too (after <see cref="Loading"/>,
    /// while collections already serve); a collection found damaged then stops serving.
    /// </summary>
    public Task Verification { get; }

    /// <summary>Damaged collections and what is wrong with each.</summary>
    public IReadOnlyDictionary<string, string> Damaged => _damaged;

    public Collection Create(string name, CollectionConfig config)
    {
        lock (_catalog)
        {
            var directory = Path.Combine(_store.Collections, name);
            if (_collections.ContainsKey(name) || _damaged.ContainsKey(name) || Directory.Exists(directory))
            {
                throw RagSuiteException.Conflict($"Collection '{name}' already exists.");
            }
            // Built under a hidden name and renamed into place, so a crash never leaves a collection without its manifest.
            var building = Path.Combine(_store.Collections, StoreDirectory.CreatingPrefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(building);
            var manifest = new Collection { Name = name, Config = config, CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow) };
            StoredCollection.WriteManifest(building, manifest);
            Directory.Move(building, directory);
            DirectorySync.Flush(_store.Collections);
            var collection = StoredCollection.Open(directory, _options);
            _collections[name] = collection;
            return collection.Describe();
        }
    }

    public IReadOnlyList<Collection> List() =>
        [.. _collections.Values.Select(c => c.Describe()).OrderBy(c => c.Name, StringComparer.Ordinal)];

    internal StoredCollection Get(string name)
    {
        if (_collections.TryGetValue(name, out var collection)) return collection;
        if (_damaged.TryGetValue(name, out var problem))
        {
            throw RagSuiteException.Unavailable(
                $"Collection '{name}' is damaged and unavailable: {problem}. Its files are untouched; run 'ragsuite store repair --data {_options.DataDirectory} --collection {name}' to recover every intact record.");
        }
        throw RagSuiteException.NotFound($"Collection '{name}' does not exist.");
    }

    /// <summary>Deletes a collection, a damaged one included: moved to <c>trash/</c> first, so a crash never leaves half of one.</summary>
    public void Delete(string name)
    {
        lock (_catalog)
        {
            if (_collections.TryRemove(name, out var collection)) collection.Close(checkpoint: false);
            else if (!_damaged.TryRemove(name, out _)) throw RagSuiteException.NotFound($"Collection '{name}' does not exist.");
            Directory.CreateDirectory(_store.Trash);
            var trashed = Path.Combine(_store.Trash, $"{name}-{Guid.NewGuid():N}");
            Directory.Move(Path.Combine(_store.Collections, name), trashed);
            DirectorySync.Flush(_store.Collections);
            Directory.Delete(trashed, recursive: true);
        }
    }

    public void Dispose()
    {
        try
        {
            Verification.Wait();
        }
        catch (AggregateException)
        {
            // Reported when it happened; nothing more is open.
        }
        foreach (var collection in _collections.Values) collection.Dispose();
        _collections.Clear();
        _store.Dispose();
    }

    private void LoadCollections(List<string> directories)
    {
        LogLoading(_logger, _store.Root, directories.Count);
        var started = Stopwatch.GetTimestamp();
        foreach (var directory in directories)
        {
            var name = Path.GetFileName(directory);
            var opening = Stopwatch.GetTimestamp();
            try
            {
                var collection = StoredCollection.Open(directory, _options);
                _collections[name] = collection;
                if (collection.DiscardedLogBytes > 0) LogTornTail(_logger, name, collection.DiscardedLogBytes);
                LogLoaded(_logger, name, collection.Describe().PointCount, collection.ReplayedRecords, Stopwatch.GetElapsedTime(opening).TotalMilliseconds);
            }
            catch (Exception e)
            {
                // Whatever went wrong, it is this collection's problem: the others still load and serve.
                var problem = e is StoreDamageException ? e.Message : $"it cannot be opened ({e.Message})";
                _damaged[name] = problem;
                LogDamaged(_logger, name, problem, _options.DataDirectory);
            }
        }
        LogLoadedAll(_logger, _collections.Count, _damaged.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void VerifyCollections()
    {
        foreach (var (name, collection) in _collections)
        {
            try
            {
                collection.VerifyCoveredLog();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (_catalog)
                {
                    if (!_collections.TryRemove(new KeyValuePair<string, StoredCollection>(name, collection))) continue;
                    _damaged[name] = e.Message;
                }
                collection.Close(checkpoint: false);
                LogDamaged(_logger, name, e.Message, _options.DataDirectory);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading {Count} collections from {Root}")]
    private static partial void LogLoading(ILogger logger, string root, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded collection {Name}: {Points} points, {Records} log records replayed, in {Milliseconds:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string name, long points, int records, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store ready: {Count} collections loaded, {Damaged} damaged, in {Milliseconds:F0} ms")]
    private static partial void LogLoadedAll(ILogger logger, int count, int damaged, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collection {Name}: cut {Bytes} bytes of an unfinished write from the end of its log")]
    private static partial void LogTornTail(ILogger logger, string name, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Collection {Name} is damaged and unavailable until repaired: {Problem}. Its files are left as they are; run 'ragsuite store repair --data {Data} --collection {Name}'")]
    private static partial void LogDamaged(ILogger logger, string name, string problem, string data);
}
