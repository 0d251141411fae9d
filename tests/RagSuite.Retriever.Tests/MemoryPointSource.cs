using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retriever.Tests;

/// <summary>Points kept in a list instead of a log, for tests of the index alone; a location's offset is the list position.</summary>
internal sealed class MemoryPointSource : IPointSource
{
    private readonly List<Point> _points = [];

    public Point Read(PointLocation location) => _points[(int)location.Offset].Clone();

    public static CollectionIndex NewIndex(int dimension, Bm25Parameters bm25) => new(dimension, bm25, new MemoryPointSource());

    public PointLocation[] Add(DocumentWrite write) =>
        [.. write.Points.Select(p =>
        {
            _points.Add(p.Clone());
            return new PointLocation(1, _points.Count - 1, 0);
        })];
}

internal static class InMemoryIndexing
{
    /// <summary>Applies a write to an index made by <see cref="MemoryPointSource.NewIndex"/>.</summary>
    public static int Apply(this CollectionIndex index, DocumentWrite write) =>
        index.Apply(write, ((MemoryPointSource)index.Source).Add(write), 1, 100);
}
