namespace RagSuite.Retrieval.Storage;

/// <summary>
/// A data directory held by one process: its lock file (so a server and a repair, or two servers, never share it)
/// and where collections, trash and damaged collections live inside it.
/// </summary>
internal sealed class StoreDirectory : IDisposable
{
    public const string CreatingPrefix = ".creating-";
    private const string LockFile = ".lock";

    private readonly FileStream _lock;

    private StoreDirectory(string root, FileStream @lock)
    {
        Root = root;
        _lock = @lock;
    }

    public string Root { get; }

    public string Collections => Path.Combine(Root, "collections");

    public string Trash => Path.Combine(Root, "trash");

    public static StoreDirectory Lock(string dataDirectory)
    {
        var root = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(Path.Combine(root, "collections"));
        try
        {
            return new StoreDirectory(root, new FileStream(Path.Combine(root, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"The data directory '{root}' is in use by another RagSuite process; stop it or set {RetrieverOptions.Section}:DataDirectory to another directory.", e);
        }
    }

    /// <summary>Collection directories, leaving out creates that never finished.</summary>
    public IEnumerable<string> CollectionDirectories() =>
        Directory.GetDirectories(Collections).Where(d => !Path.GetFileName(d).StartsWith(CreatingPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public void Dispose() => _lock.Dispose();
}
