namespace RagSuite.Retrieval.Index;

/// <summary>Where a point's full record (text, metadata, vectors) lies on disk: a log segment and a byte range in it.</summary>
internal readonly record struct PointLocation(int Segment, long Offset, int Length);

/// <summary>Reads points back from where the log put them; safe to call from many readers at once.</summary>
internal interface IPointSource
{
    Contracts.V1.Point Read(PointLocation location);
}
