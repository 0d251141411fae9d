namespace RagSuite.Retrieval.Index;

/// <summary>
/// Fills <paramref name="destination"/> with the unit vector of the point labelled <paramref name="label"/>: how a
/// quantised <see cref="HnswGraph"/>, which keeps only int8 codes in memory, reads the floats it rescores with.
/// </summary>
internal delegate void UnitVectorReader(int label, Span<float> destination);
