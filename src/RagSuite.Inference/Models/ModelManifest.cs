using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagSuite.Inference.Models;

/// <summary>
/// What a model folder holds, read from its <c>ragsuite-model.json</c>: the family (which decides the
/// tokenizer and the inputs), the output dimension, pooling and normalisation, the token limit, the
/// prefixes E5-style models expect, and where the weights came from.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "ragsuite-model.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The name collections record; a different name means different vectors.</summary>
    public required string Name { get; init; }

    public required string Family { get; init; }

    /// <summary>Output dimension of an encoder; 0 for a cross-encoder.</summary>
    public int Dimension { get; init; }

    public string Pooling { get; init; } = Models.Pooling.Mean;

    /// <summary>Scale each vector to unit length (cosine similarity becomes a dot product).</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Most tokens the model sees, special tokens included; longer texts are truncated and say so.</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>Put before every query, e.g. "query: " for E5 or the BGE instruction.</summary>
    public string QueryPrefix { get; init; } = "";

    /// <summary>Put before every passage, e.g. "passage: " for E5.</summary>
    public string PassagePrefix { get; init; } = "";

    /// <summary><c>float32</c>, or <c>int8</c> for a dynamically quantised variant.</summary>
    public string Precision { get; init; } = "float32";

    /// <summary>The graph's file in the folder.</summary>
    public string Onnx { get; init; } = "model.onnx";

    /// <summary>The output to read; empty picks <c>sentence_embedding</c>, <c>last_hidden_state</c>, <c>logits</c> or the first.</summary>
    public string? Output { get; init; }

    public string? License { get; init; }

    public string? Source { get; init; }

    /// <summary>The problems that make this manifest unusable, each naming its field; empty when it is sound.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("name is empty");
        if (!ModelFamilies.IsKnown(Family)) problems.Add($"family '{Family}' is not one of bert, bert-cross-encoder, use-lite");
        else if (!ModelFamilies.IsCrossEncoder(Family) && Dimension is < 1 or > 65_536) problems.Add("dimension must be between 1 and 65536");
        if (!Models.Pooling.IsKnown(Pooling)) problems.Add($"pooling '{Pooling}' is not one of cls, mean, none");
        if (MaxTokens is < 2 or > 32_768) problems.Add("max_tokens must be between 2 and 32768");
        if (Precision is not ("float32" or "int8")) problems.Add($"precision '{Precision}' is not float32 or int8");
        if (string.IsNullOrWhiteSpace(Onnx) || Onnx.Contains('/') || Onnx.Contains('\\')) problems.Add("onnx must name a file in the model folder");
        return problems;
    }

    public static ModelManifest Read(string path)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid model manifest: {e.Message}", e);
        }
        if (manifest is null) throw new InvalidDataException($"'{path}' is empty.");
        if (manifest.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidDataException($"'{path}' is not a usable model manifest: {string.Join("; ", problems)}.");
        }
        return manifest;
    }

    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));
}
