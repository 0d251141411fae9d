using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Storage;

namespace RagSuite.Retriever.Tests;

/// <summary>Reading a point's dense vector straight from its bytes, as an int8 index's rescoring does.</summary>
public sealed class PointWireTests
{
    private static readonly float[] Vector = [0.5f, -1.25f, 3e-7f, float.MaxValue, -0f, 42f];

    private static Point Full() => new()
    {
        Id = "doc#3",
        DocumentId = "doc",
        ChunkIndex = 3,
        Text = "Ünïcode text, long enough to need a two-byte length: " + new string('x', 300),
        Title = "A title",
        Metadata = new Struct { Fields = { ["year"] = Value.ForNumber(1999), ["tags"] = Value.ForList(Value.ForString("a")) } },
        Lineage = new Lineage(),
        Dense = { Vector },
        Sparse = new SparseVector { Indices = { 1, 70000 }, Values = { 1f, 2.5f } },
    };

    public static TheoryData<string> Shapes => ["every field set", "only the vector", "vector and sparse only", "huge chunk index"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_dense_vector_is_read_without_parsing_the_point(string shape)
    {
        var point = shape switch
        {
            "every field set" => Full(),
            "only the vector" => new Point { Dense = { Vector } },
            "vector and sparse only" => new Point { Dense = { Vector }, Sparse = Full().Sparse },
            "huge chunk index" => new Point(Full()) { ChunkIndex = int.MinValue },
            _ => throw new ArgumentException(shape),
        };
        var read = new float[Vector.Length];

        Assert.True(PointWire.TryReadDense(point.ToByteArray(), read));
        Assert.Equal(Vector, read);
    }

    public static TheoryData<string> Misfits => ["no vector", "another dimension", "truncated in the text", "truncated in the vector", "empty", "a bad varint", "a group wire type"];

    [Theory]
    [MemberData(nameof(Misfits))]
    public void Bytes_without_a_vector_of_that_dimension_answer_false(string misfit)
    {
        var bytes = Full().ToByteArray();
        bytes = misfit switch
        {
            "no vector" => WithoutDense(),
            "another dimension" => WithDense([1f, 2f]),
            "truncated in the text" => bytes[..40],
            "truncated in the vector" => bytes[..^30],
            "empty" => [],
            "a bad varint" => [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            "a group wire type" => [(1 << 3) | 3, 0],
            _ => throw new ArgumentException(misfit),
        };

        Assert.False(PointWire.TryReadDense(bytes, new float[Vector.Length]));
    }

    private static byte[] WithoutDense() => WithDense([]);

    private static byte[] WithDense(float[] vector)
    {
        var point = Full();
        point.Dense.Clear();
        point.Dense.Add(vector);
        return point.ToByteArray();
    }
}
