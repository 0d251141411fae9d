namespace RagSuite.Bench.Peers.Measurement;

/// <summary>What a measured run of one target at one number of clients gave. Latencies in milliseconds.</summary>
public sealed record LoadResult(
    int Clients,
    int Queries,
    double Seconds,
    double QueriesPerSecond,
    double P50,
    double P95,
    double P99,
    double Mean,
    double? ServerP50,
    double? ServerP95);
