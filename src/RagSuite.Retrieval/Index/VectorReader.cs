namespace RagSuite.Retrieval.Index;

/// <summary>
/// Fills <paramref name="destination"/> with the vector of the point labelled <paramref name="label"/>, as the index
/// compares it (unit length for cosine): how a quantised <see cref="HnswGraph"/>, which keeps only int8 codes in
/// memory, reads the floats it rescores with.
/// </summary>
internal delegate void VectorReader(int label, Span<float> destination);
