using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>Everything a dense run measured, as written to JSON.</summary>
public sealed record DenseReport(
    string VectorSet,
    int Documents,
    int Dimension,
    int Queries,
    int TopK,
    int M,
    int EfConstruction,
    double ExactSeconds,
    DateTimeOffset StartedAt,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<string> Notes);
