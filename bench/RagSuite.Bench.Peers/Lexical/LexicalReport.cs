using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Lexical;

/// <summary>Everything a lexical run measured, as written to JSON.</summary>
public sealed record LexicalReport(
    string Corpus,
    string Queries,
    int Documents,
    int QueryCount,
    int TopK,
    float K1,
    float B,
    DateTimeOffset StartedAt,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<RankingAgreement> Agreements,
    IReadOnlyList<string> Notes);

/// <summary>
/// How two engines' top-k lists compare over the same queries: mean shared ids, mean shared source documents (replica
/// suffix stripped), and the queries whose lists are identical in order.
/// </summary>
public sealed record RankingAgreement(string First, string Second, double OverlapById, double OverlapBySource, int IdenticalLists, int Queries);
