namespace RagSuite.Inference.Models;

/// <summary>
/// A model on disk: a folder with <c>ragsuite-model.json</c>, the ONNX graph and the tokenizer files its
/// family needs (<c>tokenizer.json</c> or <c>vocab.txt</c> for BERT, <c>vocab.json</c> for USE-lite).
/// </summary>
public sealed record ModelFolder(string Directory, ModelManifest Manifest)
{
    public string OnnxPath => Path.Combine(Directory, Manifest.Onnx);

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ModelManifest.FileName));

    /// <summary>Reads and checks a model folder; every problem is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static ModelFolder Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"Model folder '{directory}' does not exist.");
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new InvalidDataException($"'{directory}' has no {ModelManifest.FileName}; see the README for what a model folder holds.");
        }
        var folder = new ModelFolder(directory, ModelManifest.Read(manifestPath));
        if (!File.Exists(folder.OnnxPath)) throw new InvalidDataException($"Model folder '{directory}' has no '{folder.Manifest.Onnx}'.");
        var tokenizerFiles = folder.Manifest.Family == ModelFamilies.UseLite ? new[] { "vocab.json" } : ["tokenizer.json", "vocab.txt"];
        if (!tokenizerFiles.Any(f => File.Exists(Path.Combine(directory, f))))
        {
            throw new InvalidDataException($"Model folder '{directory}' has no tokenizer file ({string.Join(" or ", tokenizerFiles)}).");
        }
        return folder;
    }
}
