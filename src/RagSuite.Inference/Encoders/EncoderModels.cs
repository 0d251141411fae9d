using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RagSuite.Inference.Batching;
using RagSuite.Inference.Models;
using RagSuite.Inference.Sessions;

namespace RagSuite.Inference.Encoders;

/// <summary>
/// The models this process has loaded, each once, by name: when the embedder and the reranker name the
/// same model they share its session and its batching queue (the first to ask sets the batching budget).
/// </summary>
public sealed class EncoderModels(IOptions<ModelsOptions> options, OnnxSessionFactory sessions, EncoderMetrics metrics) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IAsyncDisposable>> _loaded = new(StringComparer.Ordinal);

    public string Directory { get; } = Path.GetFullPath(options.Value.Directory);

    public string FolderOf(string name) => Path.Combine(Directory, name);

    /// <exception cref="InvalidDataException">The folder is missing, broken, or holds a cross-encoder.</exception>
    public BatchedTextEncoder TextEncoder(string name, BatchingOptions batching) => Get(name, folder =>
    {
        if (ModelFamilies.IsCrossEncoder(folder.Manifest.Family))
        {
            throw new InvalidDataException($"Model '{name}' is a {folder.Manifest.Family}; a sentence encoder (bert or use-lite) is needed here.");
        }
        return new BatchedTextEncoder(Encoders.TextEncoder.Load(folder, sessions), batching, metrics);
    });

    /// <exception cref="InvalidDataException">The folder is missing, broken, or holds a sentence encoder.</exception>
    public BatchedCrossEncoder CrossEncoder(string name, BatchingOptions batching) => Get(name, folder =>
    {
        if (!ModelFamilies.IsCrossEncoder(folder.Manifest.Family))
        {
            throw new InvalidDataException($"Model '{name}' is a {folder.Manifest.Family} sentence encoder; a bert-cross-encoder is needed here.");
        }
        return new BatchedCrossEncoder(Encoders.CrossEncoder.Load(folder, sessions), batching, metrics);
    });

    private T Get<T>(string name, Func<ModelFolder, T> load) where T : class, IAsyncDisposable
    {
        var lazy = _loaded.GetOrAdd(name, _ => new Lazy<IAsyncDisposable>(() => load(OpenFolder(name))));
        IAsyncDisposable loaded;
        try
        {
            loaded = lazy.Value;
        }
        catch
        {
            // Not cached: the folder may yet arrive (a pull in progress) or be mended.
            _loaded.TryRemove(KeyValuePair.Create(name, lazy));
            throw;
        }
        return loaded as T ?? throw new InvalidDataException($"Model '{name}' is already loaded as a {loaded.GetType().Name}.");
    }

    private ModelFolder OpenFolder(string name)
    {
        try
        {
            return ModelFolder.Open(FolderOf(name));
        }
        catch (DirectoryNotFoundException e)
        {
            throw new InvalidDataException($"Model '{name}' is not in {Directory}.", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var model in _loaded.Values.Where(l => l.IsValueCreated))
        {
            await model.Value.DisposeAsync();
        }
        _loaded.Clear();
    }
}
