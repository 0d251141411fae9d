namespace RagSuite.Bench.Peers.Measurement;

/// <summary>
/// One line of a results table: an engine (and its settings) at one number of clients. Memory is the engine's own:
/// a server's resident set, or for an engine inside this process the growth of this process's resident set and
/// managed heap while it was built and queried. <see cref="Recall"/> is recall@k against exact search (dense only).
/// </summary>
public sealed record ResultRow(
    string Engine,
    int Documents,
    int Clients,
    double P50Ms,
    double P95Ms,
    double QueriesPerSecond,
    double? ServerP50Ms,
    double? ServerP95Ms,
    double? BuildSeconds,
    double? MemoryMib,
    string MemoryKind,
    double? Recall = null,
    int MeasuredQueries = 0);
