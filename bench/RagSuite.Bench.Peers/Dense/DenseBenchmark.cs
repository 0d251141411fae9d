using System.Diagnostics;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Measurement;
using RagSuite.Contracts.V1;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>
/// Loads or makes the vectors, computes the exact top k of every query, then builds each engine's index and drives
/// it at every search breadth and client count: RagSuite's retriever (exact, then HNSW at each ef, with float and
/// int8 collections) and Chroma (HNSW at each ef_search). Recall@k is against the exact top k; build time runs from
/// the first write until a search over everything has answered, since an engine may index in the background.
/// </summary>
public sealed class DenseBenchmark(DenseSettings settings, Action<string> log)
{
    public const string RagSuite = "ragsuite";
    public const string Chroma = "chroma";
    public const string Pgvector = "pgvector";

    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _notes = [];

    public async Task<DenseReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var (name, documents, queries) = Load();
        log($"{name}: {documents.Count:N0} vectors of {documents.Dimension}, {queries.Count:N0} queries; exact top {settings.TopK}");
        var clock = Stopwatch.StartNew();
        var truth = ExactNeighbours.Of(documents, queries, settings.TopK);
        var exactSeconds = clock.Elapsed.TotalSeconds;
        log($"exact neighbours in {exactSeconds:N1} s");
        Directory.CreateDirectory(settings.WorkDirectory);

        if (settings.Engines.Contains(RagSuite)) await SuiteAsync(documents, queries, truth, cancellationToken);
        if (settings.Engines.Contains(Chroma)) await ChromaAsync(documents, queries, truth, cancellationToken);
        if (settings.Engines.Contains(Pgvector)) await PgvectorAsync(documents, queries, truth, cancellationToken);
        return new DenseReport(name, documents.Count, documents.Dimension, queries.Count, settings.TopK, settings.M, settings.EfConstruction,
            exactSeconds, started, _rows, _notes);
    }

    private (string Name, VectorSet Documents, VectorSet Queries) Load()
    {
        if (settings.VectorFolder is { } folder)
        {
            var documents = VectorFile.Read(Path.Combine(folder, DenseFiles.Documents));
            var queries = VectorFile.Read(Path.Combine(folder, DenseFiles.Queries));
            if (documents.Dimension != queries.Dimension) throw new InvalidDataException("The document and query vectors differ in dimension.");
            if (documents.Count < settings.Documents) _notes.Add($"{folder} holds {documents.Count:N0} vectors, fewer than the {settings.Documents:N0} asked for");
            return ($"real ({Path.GetFullPath(folder)})", documents.Take(settings.Documents).Normalised(), queries.Take(settings.Queries).Normalised());
        }
        var s = settings.Synthetic;
        var (docs, qs) = ClusteredVectors.Generate(settings.Documents, settings.Queries, s.Dimension, s.Centres, s.Sigma, s.Seed);
        return ($"clustered synthetic ({s.Centres} centres, sigma {s.Sigma}, seed {s.Seed})", docs, qs);
    }

    private async Task SuiteAsync(VectorSet documents, VectorSet queries, int[][] truth, CancellationToken cancellationToken)
    {
        var shared = settings.Retriever ?? throw new ArgumentException("--ragsuite-grpc (the retriever's gRPC address) is required to benchmark RagSuite.");
        foreach (var variant in settings.Variants)
        {
            var int8 = variant == "int8";
            var address = int8 && settings.Int8Retriever is { } own ? own : shared;
            var pid = (address == shared ? settings.RetrieverPid : null) ?? ProcessMemory.ServerOf(address);
            if (pid is null) _notes.Add($"ragsuite {variant}: no process found listening on {address}; memory not measured (pass --ragsuite-pid)");
            double? Rss() => pid is { } p && ProcessMemory.ResidentBytes(p) is { } bytes ? ProcessMemory.Mebibytes(bytes) : null;

            using var collection = new RetrieverIndex(address, $"bench-dense-{variant}");
            var before = Rss();
            log($"ragsuite {variant}: upserting into '{collection.Name}' (M {settings.M}, ef_construction {settings.EfConstruction})");
            await collection.RecreateAsync(documents.Dimension, new DenseIndexParameters { M = settings.M, EfConstruction = settings.EfConstruction, Int8 = int8 },
                cancellationToken);
            var clock = Stopwatch.StartNew();
            await collection.UpsertAsync(documents, settings.UpsertBatch, cancellationToken);
            await LoadRunner.RankingsAsync(collection.Searcher("first", queries, settings.TopK, 0, exact: false), 1, cancellationToken);
            var build = clock.Elapsed.TotalSeconds;
            log($"ragsuite {variant}: built in {build:N1} s");
            _notes.Add($"ragsuite {variant}: retriever rss {ProcessMemory.Describe(before)} before the build, {ProcessMemory.Describe(Rss())} after it");

            if (settings.Exact && !int8)
            {
                await MeasureAsync(collection.Searcher("ragsuite exact", queries, settings.TopK, 0, exact: true), documents.Count, queries.Count, truth,
                    build, Rss, cancellationToken);
            }
            foreach (var ef in settings.Efs)
            {
                await MeasureAsync(collection.Searcher($"ragsuite {variant} ef={ef}", queries, settings.TopK, ef, exact: false), documents.Count,
                    queries.Count, truth, build, Rss, cancellationToken);
            }
            if (!settings.KeepCollections) await collection.DeleteAsync(cancellationToken);
        }
    }

    private async Task ChromaAsync(VectorSet documents, VectorSet queries, int[][] truth, CancellationToken cancellationToken)
    {
        ChromaServer? server = null;
        if (settings.ChromaExecutable is { } executable)
        {
            var data = Path.Combine(settings.WorkDirectory, "chroma");
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
            server = new ChromaServer(executable, data);
            log($"chroma: starting {executable} on {server.Url}");
            await server.StartAsync(cancellationToken);
        }
        try
        {
            var url = server?.Url ?? settings.ChromaUrl ?? throw new ArgumentException("--chroma-bin or --chroma is required to benchmark Chroma.");
            int? Pid() => server?.Pid ?? settings.ChromaPid ?? ProcessMemory.ServerOf(url);
            double? Rss() => Pid() is { } p && ProcessMemory.ResidentBytes(p) is { } bytes ? ProcessMemory.Mebibytes(bytes) : null;
            var efs = server is null ? settings.Efs.Take(1).ToList() : settings.Efs;
            if (server is null && settings.Efs.Count > 1) _notes.Add("chroma: an external server cannot be restarted, so only the first ef was measured");

            using var collection = new ChromaIndex(url, "bench-dense");
            var batch = Math.Min(settings.UpsertBatch, await collection.MaxBatchAsync(cancellationToken));
            var before = Rss();
            log($"chroma: adding {documents.Count:N0} vectors (max_neighbors {settings.M}, ef_construction {settings.EfConstruction}, ef_search {efs[0]})");
            await collection.RecreateAsync(settings.M, settings.EfConstruction, efs[0], cancellationToken);
            var clock = Stopwatch.StartNew();
            await collection.AddAsync(documents, batch, cancellationToken);
            await LoadRunner.RankingsAsync(collection.Searcher("first", queries, settings.TopK), 1, cancellationToken);
            var build = clock.Elapsed.TotalSeconds;
            log($"chroma: built in {build:N1} s");
            _notes.Add($"chroma: server rss {ProcessMemory.Describe(before)} before the build, {ProcessMemory.Describe(Rss())} after it");

            for (var i = 0; i < efs.Count; i++)
            {
                if (i > 0)
                {
                    await collection.SetEfSearchAsync(efs[i], cancellationToken);
                    log($"chroma: restarting for ef_search {efs[i]}");
                    await server!.RestartAsync(cancellationToken);
                }
                await MeasureAsync(collection.Searcher($"chroma ef={efs[i]}", queries, settings.TopK), documents.Count, queries.Count, truth, build, Rss,
                    cancellationToken);
            }
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
        }
    }

    private async Task PgvectorAsync(VectorSet documents, VectorSet queries, int[][] truth, CancellationToken cancellationToken)
    {
        var connection = settings.PgvectorConnection ?? throw new ArgumentException("--pgvector (a connection string) is required to benchmark pgvector.");
        double? Rss() => settings.PgvectorPid is { } p && ProcessMemory.ResidentBytes(p) is { } bytes ? ProcessMemory.Mebibytes(bytes) : null;
        await using var index = new PgvectorIndex(connection, "bench_dense");
        var before = Rss();
        log($"pgvector: inserting {documents.Count:N0} vectors, then an HNSW index (m {settings.M}, ef_construction {settings.EfConstruction})");
        await index.RecreateAsync(documents.Dimension, cancellationToken);
        var clock = Stopwatch.StartNew();
        await index.LoadAsync(documents, cancellationToken);
        var loaded = clock.Elapsed.TotalSeconds;
        await index.IndexAsync(settings.M, settings.EfConstruction, cancellationToken);
        var build = clock.Elapsed.TotalSeconds;
        log($"pgvector: loaded in {loaded:N1} s, indexed by {build:N1} s");
        _notes.Add($"pgvector: server rss {ProcessMemory.Describe(before)} before the load, {ProcessMemory.Describe(Rss())} after the index; rows inserted in {loaded:N1} s");
        var clients = settings.PgvectorClients ?? [1];
        foreach (var ef in settings.Efs)
        {
            await MeasureAsync(index.Searcher($"pgvector ef={ef}", queries, settings.TopK, ef), documents.Count, queries.Count, truth, build, Rss,
                cancellationToken, clients);
        }
    }

    private async Task MeasureAsync(ISearchTarget target, int documents, int queries, int[][] truth, double build, Func<double?> rss,
        CancellationToken cancellationToken, IReadOnlyList<int>? clientCounts = null)
    {
        var recall = ExactNeighbours.Recall(await LoadRunner.RankingsAsync(target, queries, cancellationToken), truth, settings.TopK);
        foreach (var clients in clientCounts ?? settings.Clients)
        {
            log($"{target.Name}: {clients} client(s)");
            var r = await LoadRunner.RunAsync(target, queries, clients, settings.Load, cancellationToken);
            _rows.Add(new ResultRow(target.Name, documents, clients, r.P50, r.P95, r.QueriesPerSecond, null, null, build, rss(), "server rss", recall, r.Queries));
        }
    }
}
