using System.CommandLine;
using RagSuite.Bench.Peers.Dense;
using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Commands;

/// <summary>
/// <c>dense --ragsuite-grpc URL --chroma-bin PATH [--vectors DIR]</c>: top-k nearest neighbours in RagSuite's retriever
/// and in Chroma, with recall against exact search.
/// </summary>
internal static class DenseCommand
{
    public static Command Create()
    {
        var vectors = new Option<string?>("--vectors") { Description = "Folder with documents.f32 and queries.f32 (from embed-texts); default: the clustered synthetic set" };
        var documents = new Option<int>("--documents", "-n") { Description = "Vectors to index", DefaultValueFactory = _ => 100_000 };
        var queries = new Option<int>("--queries") { Description = "Queries to ask", DefaultValueFactory = _ => 1000 };
        var dimension = new Option<int>("--dimension") { Description = "Synthetic: dimensions", DefaultValueFactory = _ => 512 };
        var centres = new Option<int>("--centres") { Description = "Synthetic: random unit centres", DefaultValueFactory = _ => 1000 };
        var sigma = new Option<double>("--sigma") { Description = "Synthetic: Gaussian noise per dimension", DefaultValueFactory = _ => 0.03 };
        var seed = new Option<int>("--seed") { Description = "Synthetic: random seed", DefaultValueFactory = _ => 42 };
        var engines = Lists.Words("--engines", "Engines to run: ragsuite, chroma, pgvector", DenseBenchmark.RagSuite, DenseBenchmark.Chroma);
        var pgvector = new Option<string?>("--pgvector") { Description = "Connection string of a PostgreSQL with pgvector (e.g. the PGlite server), for the pgvector engine" };
        var pgvectorPid = new Option<int?>("--pgvector-pid") { Description = "The PostgreSQL (PGlite) server's process, for its memory" };
        var pgvectorClients = Lists.Integers("--pgvector-clients", "Concurrent clients for pgvector (PGlite serves one connection at a time)", 1);
        var retriever = Urls.Option("--ragsuite-grpc", "gRPC address of a running RagSuite retriever, e.g. http://127.0.0.1:8081");
        var retrieverPid = new Option<int?>("--ragsuite-pid") { Description = "The retriever's process, for its memory (default: found by its port)" };
        var int8Retriever = Urls.Option("--ragsuite-int8-grpc", "A second retriever for the int8 collection, so each variant's memory is measured alone (default: --ragsuite-grpc)");
        var variants = Lists.Words("--variants", "RagSuite collections to build: float, int8", "float", "int8");
        var exact = new Option<bool>("--exact") { Description = "Also measure RagSuite's exact search (float collection)", DefaultValueFactory = _ => true };
        var chromaBin = new Option<string?>("--chroma-bin") { Description = "The chroma executable (bench/peers/node_modules/.bin/chroma): started here, restarted per ef" };
        var chromaUrl = Urls.Option("--chroma", "Or the URL of a running Chroma server (then only the first ef is measured)");
        var chromaPid = new Option<int?>("--chroma-pid") { Description = "The Chroma server's process, for its memory (default: found by its port)" };
        var efs = Lists.Integers("--ef", "Search breadths (HNSW ef / ef_search)", 16, 32, 64, 128, 256);
        var m = new Option<int>("--m") { Description = "HNSW links per node (Chroma max_neighbors)", DefaultValueFactory = _ => 16 };
        var efConstruction = new Option<int>("--ef-construction") { Description = "HNSW build breadth", DefaultValueFactory = _ => 100 };
        var clients = Lists.Integers("--clients", "Concurrent clients, e.g. 1,8", 1, 8);
        var topK = new Option<int>("--top-k", "-k") { Description = "Neighbours per query", DefaultValueFactory = _ => 10 };
        var work = new Option<string?>("--work-dir") { Description = "Where Chroma keeps its data (its chroma/ is replaced; default: a new temporary folder, removed after)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the RagSuite collections afterwards" };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file" };
        var load = new LoadOptions(warmUpPasses: 1);
        var command = new Command("dense", "Dense top-k: RagSuite's retriever (gRPC; exact and HNSW, float and int8) against Chroma (REST), with recall against exact")
        {
            vectors, documents, queries, dimension, centres, sigma, seed, engines, retriever, retrieverPid, int8Retriever, variants, exact,
            chromaBin, chromaUrl, chromaPid, efs, m, efConstruction, clients, topK, work, keep, json, pgvector, pgvectorPid, pgvectorClients,
        };
        load.AddTo(command);
        command.SetAction(CommandErrors.Handle(async (parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(engines)!.ToHashSet();
            if (chosen.Except([DenseBenchmark.RagSuite, DenseBenchmark.Chroma, DenseBenchmark.Pgvector]).ToList() is { Count: > 0 } unknown)
            {
                throw new ArgumentException($"--engines: unknown {string.Join(", ", unknown)} (ragsuite, chroma, pgvector)");
            }
            if (parse.GetValue(variants)!.Except(["float", "int8"]).ToList() is { Count: > 0 } wrong)
            {
                throw new ArgumentException($"--variants: unknown {string.Join(", ", wrong)} (float, int8)");
            }
            var temporary = parse.GetValue(work) is null;
            var workDirectory = parse.GetValue(work) ?? Directory.CreateTempSubdirectory("ragsuite-bench-dense-").FullName;
            var settings = new DenseSettings(parse.GetValue(vectors),
                new SyntheticSet(parse.GetValue(dimension), parse.GetValue(centres), parse.GetValue(sigma), parse.GetValue(seed)),
                parse.GetValue(documents), parse.GetValue(queries), chosen, parse.GetValue(retriever), parse.GetValue(retrieverPid), parse.GetValue(int8Retriever),
                parse.GetValue(variants)!,
                parse.GetValue(exact), parse.GetValue(chromaBin), parse.GetValue(chromaUrl), parse.GetValue(chromaPid), parse.GetValue(efs)!, parse.GetValue(m),
                parse.GetValue(efConstruction), parse.GetValue(clients)!, load.Read(parse), workDirectory, parse.GetValue(keep), parse.GetValue(topK),
                PgvectorConnection: parse.GetValue(pgvector), PgvectorPid: parse.GetValue(pgvectorPid), PgvectorClients: parse.GetValue(pgvectorClients));
            try
            {
                var report = await new DenseBenchmark(settings, line => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}")).RunAsync(cancellationToken);
                Console.WriteLine();
                Console.WriteLine($"Dense top {report.TopK}: {report.Documents:N0} × {report.Dimension} {report.VectorSet}, {report.Queries:N0} queries, " +
                    $"HNSW M {report.M}, ef_construction {report.EfConstruction}");
                Console.Write(ResultTable.Format(report.Rows, withRecall: true));
                foreach (var note in report.Notes) Console.WriteLine($"note: {note}");
                if (parse.GetValue(json) is { } path) await ResultTable.WriteJsonAsync(path, report, cancellationToken);
            }
            finally
            {
                if (temporary) Directory.Delete(workDirectory, recursive: true);
            }
            return 0;
        }));
        return command;
    }
}
