using Google.Protobuf.WellKnownTypes;

namespace RagSuite.Gateway.Ingestion;

/// <summary>A document as the ingestion pipeline receives it, checked and normalised, from JSON or from a file.</summary>
public sealed record SourceDocument(string Id, string Text, string? Title, string? Source, Struct Metadata);
