using System.Diagnostics;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Lexical;

/// <summary>
/// Builds each engine over the same corpus, one engine at a time, and drives it with the same queries: first one
/// pass to record its top-k lists (compared across engines afterwards), then a timed run at every client count.
/// In-process engines are disposed before the next is built, so each one's memory is measured on its own.
/// </summary>
public sealed class LexicalBenchmark(LexicalSettings settings, Action<string> log)
{
    public const string Lucene = "lucene";
    public const string Sqlite = "sqlite";
    public const string RagSuite = "ragsuite";

    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, IReadOnlyList<IReadOnlyList<string>>> _rankings = [];

    public async Task<LexicalReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var questions = BeirFiles.ReadQueries(settings.Queries).Take(settings.MaxQueries).Select(q => q.Text).ToList();
        var documents = BeirFiles.ReadCorpus(settings.Corpus).Count();
        log($"{documents:N0} documents, {questions.Count} queries, top {settings.TopK}, BM25 k1 {settings.K1} b {settings.B}");
        Directory.CreateDirectory(settings.WorkDirectory);

        if (settings.Engines.Contains(Lucene)) await LuceneAsync(questions, documents, cancellationToken);
        if (settings.Engines.Contains(Sqlite)) await SqliteAsync(questions, documents, cancellationToken);
        if (settings.Engines.Contains(RagSuite)) await SuiteAsync(questions, documents, cancellationToken);

        var agreements = new List<RankingAgreement>();
        var names = _rankings.Keys.ToList();
        for (var i = 0; i < names.Count; i++)
        {
            for (var j = i + 1; j < names.Count; j++)
            {
                var (a, b) = (_rankings[names[i]], _rankings[names[j]]);
                agreements.Add(new RankingAgreement(names[i], names[j], Overlap.ById(a, b, settings.TopK), Overlap.BySource(a, b, settings.TopK),
                    Overlap.Identical(a, b, settings.TopK), a.Count));
            }
        }
        return new LexicalReport(Path.GetFullPath(settings.Corpus), Path.GetFullPath(settings.Queries), documents, questions.Count, settings.TopK,
            settings.K1, settings.B, started, _rows, agreements, _notes);
    }

    private async Task LuceneAsync(List<string> questions, int documents, CancellationToken cancellationToken)
    {
        var footprint = InProcessFootprint.Start();
        var path = settings.LuceneDirectory == "ram" ? null : Fresh(Path.Combine(settings.WorkDirectory, "lucene"));
        log($"lucene.net: indexing ({(path is null ? "RAMDirectory" : "MMapDirectory")})");
        var clock = Stopwatch.StartNew();
        using (var index = LuceneIndex.Build(BeirFiles.ReadCorpus(settings.Corpus), path, settings.K1, settings.B, questions, settings.TopK))
        {
            var build = clock.Elapsed.TotalSeconds;
            await MeasureAsync(index, Lucene, questions.Count, documents, build, () =>
            {
                var (resident, managed) = footprint.Growth();
                _notes.Add($"lucene.net: {(path is null ? "RAMDirectory" : "MMapDirectory")}, one merged segment; resident growth {resident:N0} MiB, managed heap growth {managed:N0} MiB");
                return (resident, "rss growth (in-process)");
            }, cancellationToken);
        }
        if (path is not null) TryDelete(path);
    }

    private async Task SqliteAsync(List<string> questions, int documents, CancellationToken cancellationToken)
    {
        var footprint = InProcessFootprint.Start();
        var path = Path.Combine(settings.WorkDirectory, "fts5.sqlite");
        File.Delete(path);
        log("sqlite-fts5: indexing");
        var clock = Stopwatch.StartNew();
        using var index = SqliteFtsIndex.Build(BeirFiles.ReadCorpus(settings.Corpus), path, questions, settings.TopK);
        var build = clock.Elapsed.TotalSeconds;
        await MeasureAsync(index, Sqlite, questions.Count, documents, build, () =>
        {
            var (resident, _) = footprint.Growth();
            _notes.Add($"sqlite-fts5: bm25() with its fixed k1 1.2, b 0.75; database file {ProcessMemory.Mebibytes(index.FileBytes):N0} MiB (in the OS page cache, not counted); resident growth {resident:N0} MiB");
            return (resident, "rss growth (in-process)");
        }, cancellationToken);
    }

    private async Task SuiteAsync(List<string> questions, int documents, CancellationToken cancellationToken)
    {
        var gateway = settings.Gateway ?? throw new ArgumentException("--ragsuite (the gateway's base URL) is required to benchmark RagSuite.");
        var pid = settings.ServerPid ?? ProcessMemory.ServerOf(gateway);
        if (pid is null) _notes.Add($"ragsuite: no process found listening on {gateway}; memory not measured (pass --ragsuite-pid)");
        using var suite = new SuiteGateway(gateway, settings.Collection, questions, settings.TopK);

        double? build = null;
        var existing = await suite.DescribeAsync(cancellationToken);
        if (settings.ReuseCollection && existing?.Documents == documents)
        {
            log($"ragsuite: reusing collection '{settings.Collection}' ({documents:N0} documents)");
            _notes.Add("ragsuite: collection reused, build not measured");
        }
        else
        {
            log($"ragsuite: ingesting into '{settings.Collection}' through {gateway}");
            await suite.RecreateAsync(settings.K1, settings.B, cancellationToken);
            var clock = Stopwatch.StartNew();
            var chunks = await suite.IngestAsync(BeirFiles.ReadCorpus(settings.Corpus), settings.IngestBatch, cancellationToken);
            build = clock.Elapsed.TotalSeconds;
            if (chunks != documents) _notes.Add($"ragsuite: {chunks:N0} chunks for {documents:N0} documents; some documents were split, so rankings can differ");
        }
        if ((await suite.DescribeAsync(cancellationToken))?.DenseDimension is > 0)
        {
            _notes.Add("ragsuite: the collection stores dense vectors too (the server has an embedding model); ingestion and memory include them. " +
                "Start the server with --RagSuite:Embedder:Model= for a sparse-only store.");
        }
        await MeasureAsync(suite, RagSuite, questions.Count, documents, build, () =>
        {
            var rss = pid is { } p ? ProcessMemory.ResidentBytes(p) : null;
            return (rss is { } bytes ? ProcessMemory.Mebibytes(bytes) : null, "server rss");
        }, cancellationToken);
    }

    private async Task MeasureAsync(ISearchTarget target, string key, int queries, int documents, double? build,
        Func<(double? MiB, string Kind)> memory, CancellationToken cancellationToken)
    {
        _rankings[key] = await LoadRunner.RankingsAsync(target, queries, cancellationToken);
        var results = new List<LoadResult>();
        foreach (var clients in settings.Clients)
        {
            log($"{target.Name}: {clients} client(s)");
            results.Add(await LoadRunner.RunAsync(target, queries, clients, settings.Load, cancellationToken));
        }
        var (mib, kind) = memory();
        foreach (var r in results)
        {
            _rows.Add(new ResultRow(target.Name, documents, r.Clients, r.P50, r.P95, r.QueriesPerSecond, r.ServerP50, r.ServerP95, build, mib, kind,
                MeasuredQueries: r.Queries));
        }
    }

    private static string Fresh(string path)
    {
        TryDelete(path);
        Directory.CreateDirectory(path);
        return path;
    }

    private static void TryDelete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
