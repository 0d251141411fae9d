using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Lexical;

/// <summary>
/// A lexical run: the corpus and the queries (BEIR folders), the engines, BM25's k1 and b for Lucene and RagSuite,
/// and where RagSuite's gateway listens. <see cref="LuceneDirectory"/> is <c>mmap</c> (an MMapDirectory in the work
/// folder) or <c>ram</c> (a RAMDirectory on the managed heap).
/// </summary>
public sealed record LexicalSettings(
    string Corpus,
    string Queries,
    IReadOnlySet<string> Engines,
    IReadOnlyList<int> Clients,
    LoadSettings Load,
    Uri? Gateway,
    string Collection,
    bool ReuseCollection,
    int? ServerPid,
    string WorkDirectory,
    string LuceneDirectory = "mmap",
    int TopK = 10,
    float K1 = 0.9f,
    float B = 0.4f,
    int MaxQueries = int.MaxValue,
    int IngestBatch = 500);
