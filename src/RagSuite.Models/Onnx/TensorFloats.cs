using System.Runtime.InteropServices;
using RagSuite.Models.Onnx.Proto;
using DataType = RagSuite.Models.Onnx.Proto.TensorProto.Types.DataType;

namespace RagSuite.Models.Onnx;

/// <summary>Reads a float32 tensor's values, whether the writer used <c>raw_data</c> (as exporters do) or <c>float_data</c>.</summary>
public static class TensorFloats
{
    public static float[] Read(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataType != (int)DataType.Float) throw new InvalidDataException($"tensor '{tensor.Name}' is not float32.");
        var count = tensor.Dims.Aggregate(1L, (product, dim) => product * dim);
        // ONNX stores raw_data little-endian, which is what every platform .NET runs ONNX Runtime on uses.
        var values = tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
        if (values.Length != count)
        {
            throw new InvalidDataException($"tensor '{tensor.Name}' holds {values.Length} values but its shape [{string.Join(", ", tensor.Dims)}] needs {count}.");
        }
        return values;
    }
}
