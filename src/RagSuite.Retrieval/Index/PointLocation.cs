namespace RagSuite.Retrieval.Index;

/// <summary>Where a point's full record (text, metadata, vectors) lies on disk: a log segment and a byte range in it.</summary>
internal readonly record struct PointLocation(int Segment, long Offset, int Length);

/// <summary>Reads points back from where the log put them; safe to call from many readers at once.</summary>
internal interface IPointSource
{
    Contracts.V1.Point Read(PointLocation location);

    /// <summary>
    /// Fills <paramref name="destination"/> with the point's dense vector as written; <see cref="InvalidDataException"/>
    /// when it holds none of that dimension. Sources that can find the vector without parsing the point should.
    /// </summary>
    void ReadDense(PointLocation location, Span<float> destination) => CopyDense(Read(location), destination);

    static void CopyDense(Contracts.V1.Point point, Span<float> destination)
    {
        if (point.Dense.Count != destination.Length)
        {
            throw new InvalidDataException($"point '{point.Id}' holds {point.Dense.Count} dense components where {destination.Length} belong");
        }
        for (var i = 0; i < destination.Length; i++) destination[i] = point.Dense[i];
    }
}
