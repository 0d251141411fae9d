using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>
/// A dense run. The vectors are a cached real set (<see cref="VectorFolder"/> with documents.f32 and queries.f32) or,
/// without one, the clustered synthetic set made from <see cref="Synthetic"/>. RagSuite's retriever is reached at
/// <see cref="Retriever"/> (gRPC), the int8 collection at <see cref="Int8Retriever"/> when that is set, so that each
/// variant's memory is its own process's; Chroma is started from <see cref="ChromaExecutable"/> (and restarted for each
/// search breadth) or, with <see cref="ChromaUrl"/>, used as it runs, at the breadth it has.
/// </summary>
public sealed record DenseSettings(
    string? VectorFolder,
    SyntheticSet Synthetic,
    int Documents,
    int Queries,
    IReadOnlySet<string> Engines,
    Uri? Retriever,
    int? RetrieverPid,
    Uri? Int8Retriever,
    IReadOnlyList<string> Variants,
    bool Exact,
    string? ChromaExecutable,
    Uri? ChromaUrl,
    int? ChromaPid,
    IReadOnlyList<int> Efs,
    int M,
    int EfConstruction,
    IReadOnlyList<int> Clients,
    LoadSettings Load,
    string WorkDirectory,
    bool KeepCollections,
    int TopK = 10,
    int UpsertBatch = 1000,
    string? PgvectorConnection = null,
    int? PgvectorPid = null,
    IReadOnlyList<int>? PgvectorClients = null);

/// <summary>The clustered synthetic set: unit centres plus Gaussian noise of <see cref="Sigma"/> per dimension, normalised.</summary>
public sealed record SyntheticSet(int Dimension = 512, int Centres = 1000, double Sigma = 0.03, int Seed = 42);
