using System.Numerics.Tensors;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retriever.Tests;

/// <summary>
/// The HNSW graph against exact search, on clustered vectors (random unit centres plus Gaussian noise, normalised;
/// uniform random vectors have no neighbourhoods worth finding): recall at the default and at a wide beam, with int8
/// codes, after removals and repair, under filters, and across a checkpoint round trip.
/// </summary>
public sealed class HnswGraphTests
{
    internal const int Dimension = 48;

    internal static float[][] Clustered(int count, int centres, int seed, float sigma = 0.03f)
    {
        var random = new Random(seed);
        float Gaussian() => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        float[] Unit(float[] v)
        {
            TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
            return v;
        }
        var middles = Enumerable.Range(0, centres).Select(_ => Unit([.. Enumerable.Range(0, Dimension).Select(_ => Gaussian())])).ToArray();
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var centre = middles[random.Next(centres)];
            return Unit([.. centre.Select(x => x + sigma * Gaussian())]);
        })];
    }

    private static HnswGraph Build(float[][] vectors, bool int8 = false)
    {
        var graph = new HnswGraph(Dimension, 16, 100, int8);
        for (var i = 0; i < vectors.Length; i++) graph.Add(i, vectors[i]);
        return graph;
    }

    private static double Recall(IEnumerable<List<int>> found, IEnumerable<List<int>> exact) =>
        found.Zip(exact, (f, e) => (double)f.Intersect(e).Count() / Math.Max(1, e.Count)).Average();

    private static List<int> Labels(HnswGraph graph, List<(int Node, float Score)> hits) => [.. hits.Select(h => graph.Label(h.Node))];

    /// <summary>Where a quantised graph reads floats from: the test's own vectors, by label.</summary>
    private static VectorReader Reader(params float[][][] sets)
    {
        var all = sets.SelectMany(s => s).ToArray();
        return (label, destination) => all[label].CopyTo(destination);
    }

    private static DenseIndex Index(float[][] vectors, bool quantized, DenseIndexParameters? parameters = null)
    {
        var index = new DenseIndex(Dimension, quantized ? new DenseIndexParameters(parameters ?? new()) { Int8 = true } : parameters);
        for (var i = 0; i < vectors.Length; i++) index.Add(i, vectors[i]);
        return index;
    }

    [Theory]
    [InlineData(false, 64, 0.8)]
    [InlineData(false, 128, 0.88)]
    [InlineData(false, 400, 0.98)]
    [InlineData(true, 128, 0.88)]
    [InlineData(true, 400, 0.98)]
    public void Graph_search_finds_the_exact_nearest_neighbours(bool quantized, int ef, double recall)
    {
        var vectors = Clustered(6000, 60, seed: 1);
        var graph = Build(vectors, quantized);
        var queries = Clustered(100, 60, seed: 2);

        var found = queries.Select(q => Labels(graph, graph.Search(q, 10, ef, null, Reader(vectors)))).ToList();
        var exact = queries.Select(q => Labels(graph, graph.SearchExact(q, 10, null, Reader(vectors)))).ToList();

        Assert.InRange(Recall(found, exact), recall, 1.0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Removed_points_are_never_returned_and_repair_keeps_recall_and_reuses_their_nodes(bool quantized)
    {
        var vectors = Clustered(5000, 50, seed: 3);
        var index = Index(vectors, quantized);
        var removed = Enumerable.Range(0, vectors.Length).Where(i => i % 5 != 0 && i % 3 == 0).ToHashSet();
        foreach (var slot in removed) index.Remove(slot);
        var extra = Clustered(500, 50, seed: 4);
        for (var i = 0; i < extra.Length; i++) index.Add(vectors.Length + i, extra[i]);
        var floats = Reader(vectors, extra);

        var queries = Clustered(100, 50, seed: 5);
        var found = queries.Select(q => index.Search(q, 10, 400, exact: false, null, floats).Select(h => h.Key).ToList()).ToList();
        var exact = queries.Select(q => index.Search(q, 10, 0, exact: true, null, floats).Select(h => h.Key).ToList()).ToList();

        Assert.Equal(vectors.Length - removed.Count + extra.Length, index.Count);
        Assert.All(found.SelectMany(f => f), slot => Assert.DoesNotContain(slot, removed));
        Assert.InRange(Recall(found, exact), 0.93, 1.0);
    }

    [Fact]
    public void Repair_frees_removed_nodes_for_new_points()
    {
        var vectors = Clustered(3000, 30, seed: 6);
        var graph = Build(vectors);
        for (var node = 0; node < 1000; node++) graph.Remove(node);
        graph.Repair();
        var fresh = Clustered(1000, 30, seed: 7);
        for (var i = 0; i < fresh.Length; i++) graph.Add(vectors.Length + i, fresh[i]);

        Assert.Equal(3000, graph.Capacity);
        Assert.Equal(3000, graph.Count);
        var queries = Clustered(50, 30, seed: 8);
        Assert.InRange(Recall(queries.Select(q => Labels(graph, graph.Search(q, 10, 400, null))), queries.Select(q => Labels(graph, graph.SearchExact(q, 10, null)))), 0.97, 1.0);
    }

    [Theory]
    [InlineData(100, false)]   // 1%: few enough to compare with all
    [InlineData(2, false)]     // 50%: the beam walks past the refused
    [InlineData(100, true)]
    [InlineData(2, true)]
    public void Filtered_search_keeps_recall(int every, bool quantized)
    {
        var vectors = Clustered(12_000, 80, seed: 9);
        var index = Index(vectors, quantized);
        Func<int, bool> accept = slot => slot % every == 0;

        var queries = Clustered(60, 80, seed: 10);
        var found = queries.Select(q => index.Search(q, 10, 400, exact: false, accept, Reader(vectors)).Select(h => h.Key).ToList()).ToList();
        var exact = queries.Select(q => index.Search(q, 10, 0, exact: true, accept, Reader(vectors)).Select(h => h.Key).ToList()).ToList();

        Assert.All(found.SelectMany(f => f), slot => Assert.True(accept(slot)));
        Assert.InRange(Recall(found, exact), 0.97, 1.0);
    }

    [Fact]
    public void Relabelling_keeps_the_graph_and_maps_its_results()
    {
        var vectors = Clustered(5000, 50, seed: 11);
        var graph = Build(vectors);
        var query = Clustered(1, 50, seed: 12)[0];
        var before = Labels(graph, graph.Search(query, 10, 64, null));

        graph.Relabel([.. Enumerable.Range(0, vectors.Length).Select(i => i * 2)]);

        Assert.Equal(before.Select(l => l * 2), Labels(graph, graph.Search(query, 10, 64, null)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_checkpointed_graph_answers_as_before(bool quantized)
    {
        var vectors = Clustered(5000, 50, seed: 13);
        var graph = Build(vectors, quantized);
        for (var node = 0; node < 300; node++) graph.Remove(node * 7);
        var restored = HnswGraph.ReadFrom(new BinaryReader(new MemoryStream(Bytes(graph))), Dimension, 16, 100);

        foreach (var query in Clustered(20, 50, seed: 14))
        {
            Assert.Equal(graph.Search(query, 10, 64, null, Reader(vectors)), restored.Search(query, 10, 64, null, Reader(vectors)));
        }
        Assert.Equal(graph.Count, restored.Count);
    }

    [Fact]
    public void A_quantised_graph_keeps_codes_instead_of_floats()
    {
        var vectors = Clustered(2000, 20, seed: 18);

        var floats = Bytes(Build(vectors)).Length;
        var codes = Bytes(Build(vectors, int8: true)).Length;

        // 48 floats are 192 bytes a node and 48 codes plus a scale 52; the links (2M + 1 ints on layer 0) are the same.
        Assert.InRange(floats - codes, 2000 * (192 - 52) - 1000, 2000 * (192 - 52) + 1000);
    }

    [Fact]
    public void A_quantised_graph_refuses_to_search_without_its_floats()
    {
        var graph = Build(Clustered(200, 4, seed: 19), int8: true);

        Assert.Throws<InvalidOperationException>(() => graph.Search(Clustered(1, 4, seed: 20)[0], 10, 32, null));
    }

    public static TheoryData<string> Damages => ["truncated to 3 bytes", "truncated to a third", "truncated by one byte", "node count absurd", "link out of range"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_checkpoint_is_refused_with_invalid_data(string damage)
    {
        var bytes = Bytes(Build(Clustered(300, 10, seed: 15)));
        bytes = damage switch
        {
            "truncated to 3 bytes" => bytes[..3],
            "truncated to a third" => bytes[..(bytes.Length / 3)],
            "truncated by one byte" => bytes[..^1],
            "node count absurd" => [.. BitConverter.GetBytes(int.MaxValue), .. bytes[4..]],
            "link out of range" => WithLink(bytes, 300 * Dimension, 1_000_000),
            _ => throw new ArgumentException(damage),
        };

        var error = Record.Exception(() => HnswGraph.ReadFrom(new BinaryReader(new MemoryStream(bytes)), Dimension, 16, 100));

        Assert.True(error is InvalidDataException or EndOfStreamException, $"{damage}: {error?.GetType().Name ?? "no error"}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(512)]
    [InlineData(513)]
    public void The_int8_dot_product_equals_the_scalar_sum(int length)
    {
        var random = new Random(length);
        var a = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var b = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();

        Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), Int8Vectors.Dot(a, b));
    }

    /// <summary>A float index compares every vector whatever the beam; an int8 one compares every code and rescores its default beam's worth.</summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public void A_small_collection_is_compared_with_every_point(bool quantized, int ef)
    {
        var vectors = Clustered(500, 5, seed: 16);
        var index = Index(vectors, quantized, new DenseIndexParameters { M = 4 });

        var query = Clustered(1, 5, seed: 17)[0];
        var expected = vectors.Select((v, i) => (i, TensorPrimitives.Dot(query, v))).OrderByDescending(p => p.Item2).Take(10).Select(p => p.i);

        Assert.Equal(expected, index.Search(query, 10, ef, exact: false, null, Reader(vectors)).Select(h => h.Key));
    }

    private static byte[] Bytes(HnswGraph graph)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) graph.WriteTo(writer);
        return stream.ToArray();
    }

    /// <summary>Overwrites the first link of node 0 on layer 0, which follows the header and the vectors.</summary>
    private static byte[] WithLink(byte[] bytes, int floats, int link)
    {
        var layer0 = 4 * 5 + 1 + 4 + floats * 4 + 4; // header, vectors (length + floats), then the layer-0 array's length
        BitConverter.GetBytes(link).CopyTo(bytes, layer0 + 4);
        return bytes;
    }
}
