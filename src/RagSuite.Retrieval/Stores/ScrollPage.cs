using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Stores;

/// <summary>A page of points in id order (without vectors), and the id to continue after; null when this was the last page.</summary>
public sealed record ScrollPage(IReadOnlyList<Point> Points, string? Next);
