namespace RagSuite.Cli.Evaluation;

/// <summary>Query latency and throughput of answered questions, with the gateway's median time per stage.</summary>
public sealed record BenchReport(
    string Dataset,
    string Collection,
    string Target,
    int Queries,
    int Concurrency,
    int TopK,
    string Rerank,
    string Mode,
    double LatencyP50Ms,
    double LatencyP95Ms,
    double LatencyP99Ms,
    double LatencyMeanMs,
    double QueriesPerSecond,
    double EmbedP50Ms,
    double RetrieveP50Ms,
    double RerankP50Ms,
    double GenerateP50Ms);
