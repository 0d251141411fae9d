namespace RagSuite.Models.Quantization;

/// <summary>
/// A [K, N] float weight as int8 with one scale per output column: symmetric (zero point 0), so
/// <c>w ≈ q · scale[column]</c> with q in [−limit, limit]. A column of zeros gets scale 1, as ONNX Runtime's
/// quantiser gives it, so nothing divides by zero.
/// </summary>
internal sealed record ColumnQuantizedWeight(sbyte[] Values, float[] Scales)
{
    public static ColumnQuantizedWeight Quantize(ReadOnlySpan<float> weight, int rows, int columns, int limit, string name)
    {
        if (weight.Length != (long)rows * columns) throw new ArgumentException($"'{name}' has {weight.Length} values, not {rows}×{columns}.", nameof(weight));
        var largest = new float[columns];
        for (var row = 0; row < rows; row++)
        {
            var values = weight.Slice(row * columns, columns);
            for (var column = 0; column < columns; column++)
            {
                var value = values[column];
                if (!float.IsFinite(value)) throw new InvalidDataException($"weight '{name}' holds {value} at [{row}, {column}]; only finite weights can be quantised.");
                largest[column] = MathF.Max(largest[column], MathF.Abs(value));
            }
        }

        var scales = new float[columns];
        for (var column = 0; column < columns; column++) scales[column] = largest[column] > 0 ? largest[column] / limit : 1f;
        var quantized = new sbyte[weight.Length];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var index = row * columns + column;
                // Round half to even, as numpy does in ONNX Runtime's quantiser.
                quantized[index] = (sbyte)Math.Clamp(MathF.Round(weight[index] / scales[column]), -limit, limit);
            }
        }
        return new ColumnQuantizedWeight(quantized, scales);
    }
}
