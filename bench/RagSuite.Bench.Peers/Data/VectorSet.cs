using System.Numerics.Tensors;

namespace RagSuite.Bench.Peers.Data;

/// <summary><see cref="Count"/> vectors of <see cref="Dimension"/> floats, stored row after row in one array.</summary>
public sealed class VectorSet(int count, int dimension, float[] data)
{
    public int Count { get; } = count;

    public int Dimension { get; } = dimension;

    public float[] Data { get; } = data.Length == (long)count * dimension
        ? data
        : throw new ArgumentException($"{data.Length} floats are not {count} vectors of {dimension}");

    public ReadOnlySpan<float> this[int row] => Data.AsSpan(row * Dimension, Dimension);

    public float[] Copy(int row) => this[row].ToArray();

    /// <summary>The first <paramref name="count"/> vectors.</summary>
    public VectorSet Take(int count) => count >= Count ? this : new VectorSet(count, Dimension, Data[..(count * Dimension)]);

    /// <summary>Scales every vector to unit length, so inner product, cosine and L2 order neighbours alike in every engine.</summary>
    public VectorSet Normalised()
    {
        for (var row = 0; row < Count; row++)
        {
            var vector = Data.AsSpan(row * Dimension, Dimension);
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        }
        return this;
    }
}
