using System.Runtime.InteropServices;
using System.Text.Json;

namespace RagSuite.Models.UseLite;

/// <summary>
/// The weights of a TF.js graph model: <c>model.json</c>'s weights manifest names each tensor, its shape and
/// type; the shard files, concatenated in manifest order, hold their little-endian bytes back to back.
/// </summary>
internal sealed class TfjsWeights
{
    private readonly Dictionary<string, (int[] Shape, float[]? Floats, int[]? Ints)> _tensors = new(StringComparer.Ordinal);

    public static TfjsWeights Load(string modelJsonPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!;
        using var document = JsonDocument.Parse(File.ReadAllBytes(modelJsonPath));
        var weights = new TfjsWeights();
        foreach (var group in document.RootElement.GetProperty("weightsManifest").EnumerateArray())
        {
            var bytes = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => File.ReadAllBytes(Path.Combine(directory, p.GetString()!))).ToArray();
            var offset = 0;
            foreach (var weight in group.GetProperty("weights").EnumerateArray())
            {
                var name = weight.GetProperty("name").GetString()!;
                var shape = weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                var dtype = weight.GetProperty("dtype").GetString();
                if (weight.TryGetProperty("quantization", out _)) throw new InvalidDataException($"Weight '{name}' is quantised; only float32 and int32 weights are read.");
                var count = shape.Aggregate(1, (a, b) => a * b);
                if (offset + count * 4 > bytes.Length) throw new InvalidDataException($"The weight shards end before weight '{name}'.");
                var span = bytes.AsSpan(offset, count * 4);
                weights._tensors[name] = dtype switch
                {
                    "float32" => (shape, MemoryMarshal.Cast<byte, float>(span).ToArray(), null),
                    "int32" => (shape, null, MemoryMarshal.Cast<byte, int>(span).ToArray()),
                    _ => throw new InvalidDataException($"Weight '{name}' has dtype {dtype}; only float32 and int32 are read."),
                };
                offset += count * 4;
            }
            if (offset != bytes.Length) throw new InvalidDataException($"The weight shards hold {bytes.Length} bytes; the manifest describes {offset}.");
        }
        return weights;
    }

    /// <summary>The float tensor named <paramref name="name"/>, checked to have <paramref name="shape"/>.</summary>
    public float[] Floats(string name, params int[] shape)
    {
        if (!_tensors.TryGetValue(name, out var tensor) || tensor.Floats is null) throw new InvalidDataException($"The model has no float weight '{name}'.");
        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new InvalidDataException($"Weight '{name}' has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", shape)}].");
        }
        return tensor.Floats;
    }

    public float Scalar(string name) => Floats(name)[0];
}
