using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// The durable local store of embedded mode: one directory per collection under
/// <c>{DataDirectory}/collections</c>. A lock file keeps a second process off the same data, and
/// deleted collections are moved to <c>trash/</c> before removal so a crash never leaves half of one.
/// </summary>
public sealed partial class EmbeddedVectorStore : IDisposable
{
    private const string LockFile = ".lock";

    private readonly RetrieverOptions _options;
    private readonly ILogger<EmbeddedVectorStore> _logger;
    private readonly string _collectionsDirectory;
    private readonly string _trashDirectory;
    private readonly FileStream _lock;
    private readonly ConcurrentDictionary<string, StoredCollection> _collections = new(StringComparer.Ordinal);
    private readonly Lock _catalog = new();

    public EmbeddedVectorStore(IOptions<RetrieverOptions> options, ILogger<EmbeddedVectorStore> logger)
    {
        _options = options.Value;
        _logger = logger;
        var root = Path.GetFullPath(_options.DataDirectory);
        _collectionsDirectory = Path.Combine(root, "collections");
        _trashDirectory = Path.Combine(root, "trash");
        Directory.CreateDirectory(_collectionsDirectory);
        _lock = AcquireLock(root);
        try
        {
            EmptyTrash();
            LoadCollections();
        }
        catch
        {
            Dispose();
            throw;
        }
        LogOpened(_logger, root, _collections.Count);
    }

    public Collection Create(string name, CollectionConfig config)
    {
        lock (_catalog)
        {
            var directory = Path.Combine(_collectionsDirectory, name);
            if (_collections.ContainsKey(name) || Directory.Exists(directory))
            {
                throw RagSuiteException.Conflict($"Collection '{name}' already exists.");
            }
            var manifest = new Collection { Name = name, Config = config, CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow) };
            var collection = StoredCollection.Create(directory, manifest, _options);
            _collections[name] = collection;
            return collection.Describe();
        }
    }

    public IReadOnlyList<Collection> List() =>
        [.. _collections.Values.Select(c => c.Describe()).OrderBy(c => c.Name, StringComparer.Ordinal)];

    internal StoredCollection Get(string name) =>
        _collections.TryGetValue(name, out var collection)
            ? collection
            : throw RagSuiteException.NotFound($"Collection '{name}' does not exist.");

    public void Delete(string name)
    {
        lock (_catalog)
        {
            if (!_collections.TryRemove(name, out var collection))
            {
                throw RagSuiteException.NotFound($"Collection '{name}' does not exist.");
            }
            collection.Dispose();
            Directory.CreateDirectory(_trashDirectory);
            var trashed = Path.Combine(_trashDirectory, $"{name}-{Guid.NewGuid():N}");
            Directory.Move(Path.Combine(_collectionsDirectory, name), trashed);
            DirectorySync.Flush(_collectionsDirectory);
            Directory.Delete(trashed, recursive: true);
        }
    }

    public void Dispose()
    {
        foreach (var collection in _collections.Values)
        {
            collection.Dispose();
        }
        _collections.Clear();
        _lock.Dispose();
    }

    private static FileStream AcquireLock(string root)
    {
        var path = Path.Combine(root, LockFile);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"The data directory '{root}' is in use by another RagSuite process; stop it or set {RetrieverOptions.Section}:DataDirectory to another directory.", e);
        }
    }

    private void EmptyTrash()
    {
        if (Directory.Exists(_trashDirectory)) Directory.Delete(_trashDirectory, recursive: true);
    }

    private void LoadCollections()
    {
        foreach (var directory in Directory.EnumerateDirectories(_collectionsDirectory))
        {
            if (!StoredCollection.IsCollectionDirectory(directory))
            {
                // A create that crashed before its manifest was written: it was never acknowledged.
                Directory.Delete(directory, recursive: true);
                continue;
            }
            var collection = StoredCollection.Open(directory, _options);
            if (collection.DiscardedWalBytes > 0) LogTornTail(_logger, collection.Name, collection.DiscardedWalBytes);
            _collections[collection.Name] = collection;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened data directory {Root} with {Count} collections")]
    private static partial void LogOpened(ILogger logger, string root, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collection {Name}: cut {Bytes} bytes of an unfinished write from the end of its log")]
    private static partial void LogTornTail(ILogger logger, string name, long bytes);
}
