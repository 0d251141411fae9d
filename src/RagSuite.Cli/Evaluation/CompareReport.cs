namespace RagSuite.Cli.Evaluation;

/// <summary>
/// <c>ragsuite bench --compare</c>: the same queries asked of each mode in alternating blocks, at each concurrency.
/// </summary>
public sealed record CompareReport(
    string Dataset,
    int TopK,
    string Rerank,
    int BlockQueries,
    IReadOnlyList<ModeRun> Runs,
    IReadOnlyList<HopCost> Hops,
    IReadOnlyList<ModeDifference> Differences);

/// <summary>One mode at one concurrency: what <see cref="BenchReport"/> says for a single run.</summary>
public sealed record ModeRun(
    string Mode,
    string Target,
    string Collection,
    int Concurrency,
    int Queries,
    string Rerank,
    string AnswerMode,
    double LatencyP50Ms,
    double LatencyP95Ms,
    double LatencyP99Ms,
    double LatencyMeanMs,
    double QueriesPerSecond,
    double EmbedP50Ms,
    double RetrieveP50Ms,
    double RerankP50Ms,
    double GenerateP50Ms);

/// <summary>
/// One gRPC hop of a mode that calls services (distributed), at one concurrency: the gateway's median stage time, the
/// service's own median time for the call (<see cref="HopMeter"/>), their difference (the hop), and the same stage's
/// median in the mode without hops (embedded) for reference.
/// </summary>
public sealed record HopCost(
    string Mode,
    int Concurrency,
    string Stage,
    string Route,
    int Calls,
    double StageP50Ms,
    double ServiceP50Ms,
    double HopP50Ms,
    double? InProcessStageP50Ms);

/// <summary>A mode's median latency and throughput against the first mode's, at one concurrency.</summary>
public sealed record ModeDifference(
    string Mode,
    string Baseline,
    int Concurrency,
    double P50DifferenceMs,
    double P95DifferenceMs,
    double ThroughputRatio);
