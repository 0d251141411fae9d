namespace RagSuite.Cli.Evaluation;

/// <summary>Mean metrics over a dataset's queries, with the latency of the queries as the client saw them.</summary>
public sealed record EvalReport(
    string Dataset,
    string Collection,
    string Target,
    int Queries,
    double Ndcg10,
    double Mrr10,
    double Recall100,
    double Map100,
    double LatencyP50Ms,
    double LatencyP95Ms,
    double LatencyMeanMs,
    string Fusion,
    string Rerank,
    string Mode = "",
    string? DenseModel = null,
    float? Alpha = null,
    int? RrfK = null,
    IReadOnlyList<string>? Warnings = null);
