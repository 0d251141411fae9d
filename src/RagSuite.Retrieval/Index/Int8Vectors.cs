using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// Int8 scalar-quantised unit vectors, one scale per vector (its largest magnitude over 127): a quarter of the bytes of
/// the floats, compared by integer dot products. A quantised <see cref="HnswGraph"/> keeps only these in memory.
/// </summary>
internal sealed class Int8Vectors(int dimension)
{
    private RowPages<sbyte> _codes = new(dimension);
    private float[] _scales = [];

    public void Grow(int capacity) => Array.Resize(ref _scales, capacity);

    public void Set(int node, ReadOnlySpan<float> vector)
    {
        _codes.Grow(node + 1);
        _scales[node] = Encode(vector, _codes[node]);
    }

    public ReadOnlySpan<sbyte> Code(int node) => _codes[node];

    public float Scale(int node) => _scales[node];

    /// <summary>The similarity of two stored vectors.</summary>
    public float Similarity(int a, int b) => Dot(_codes[a], _codes[b]) * _scales[a] * _scales[b];

    /// <summary>Writes the vector's code into <paramref name="code"/> and returns its scale.</summary>
    public static float Encode(ReadOnlySpan<float> vector, Span<sbyte> code)
    {
        var largest = Math.Abs(TensorPrimitives.MaxMagnitude(vector));
        var scale = largest > 0 ? largest / 127f : 1f;
        for (var i = 0; i < vector.Length; i++) code[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] / scale), -127, 127);
        return scale;
    }

    /// <summary>The integer dot product of two int8 vectors, widened to 16 and 32 bits lane by lane.</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var sum = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<sbyte>.Count)
        {
            var total = Vector256<int>.Zero;
            for (; i <= a.Length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
            {
                var (aLow, aHigh) = Vector256.Widen(Vector256.Create(a.Slice(i, Vector256<sbyte>.Count)));
                var (bLow, bHigh) = Vector256.Widen(Vector256.Create(b.Slice(i, Vector256<sbyte>.Count)));
                // |x·y| ≤ 127·128 fits a short; two products summed per int lane cannot overflow.
                var (l0, l1) = Vector256.Widen(aLow * bLow);
                var (h0, h1) = Vector256.Widen(aHigh * bHigh);
                total += l0 + l1 + h0 + h1;
            }
            sum = Vector256.Sum(total);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    public void WriteTo(BinaryWriter writer, int nodes)
    {
        _codes.WriteTo(writer, nodes);
        BinaryArrays.Write<float>(writer, _scales.AsSpan(0, nodes));
    }

    public static Int8Vectors ReadFrom(BinaryReader reader, int dimension, int nodes)
    {
        var vectors = new Int8Vectors(dimension) { _codes = RowPages<sbyte>.ReadFrom(reader, dimension, nodes), _scales = BinaryArrays.Read<float>(reader) };
        if (vectors._scales.Length != nodes) throw new InvalidDataException("int8 codes do not match the graph");
        return vectors;
    }
}
