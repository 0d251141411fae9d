using System.CommandLine;
using RagSuite.Bench.Peers.Lexical;
using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Commands;

/// <summary>
/// <c>lexical --corpus DIR --queries DIR --ragsuite URL</c>: BM25 top-k over one corpus in Lucene.Net, SQLite FTS5 and
/// RagSuite's gateway, at each client count, with the engines' agreement on the rankings.
/// </summary>
internal static class LexicalCommand
{
    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "BEIR folder whose corpus is indexed", Required = true };
        var queries = new Option<string>("--queries") { Description = "BEIR folder whose queries are asked (e.g. Cranfield's 225)", Required = true };
        var gateway = Urls.Option("--ragsuite", "Base URL of a running RagSuite gateway (ragsuite serve), e.g. http://127.0.0.1:8080");
        var collection = new Option<string>("--collection") { Description = "RagSuite collection to (re)create", DefaultValueFactory = _ => "bench-lexical" };
        var reuse = new Option<bool>("--reuse") { Description = "Keep the RagSuite collection if it already holds as many documents (build not measured)" };
        var pid = new Option<int?>("--ragsuite-pid") { Description = "The gateway's process, for its memory (default: found by its port)" };
        var engines = Lists.Words("--engines", "Engines to run", LexicalBenchmark.Lucene, LexicalBenchmark.Sqlite, LexicalBenchmark.RagSuite);
        var clients = Lists.Integers("--clients", "Concurrent clients, e.g. 1,4", 1, 4);
        var topK = new Option<int>("--top-k", "-k") { Description = "Hits per query", DefaultValueFactory = _ => 10 };
        var k1 = new Option<float>("--k1") { Description = "BM25 k1 (Lucene and RagSuite)", DefaultValueFactory = _ => 0.9f };
        var b = new Option<float>("--b") { Description = "BM25 b (Lucene and RagSuite)", DefaultValueFactory = _ => 0.4f };
        var lucene = new Option<string>("--lucene-directory") { Description = "mmap (MMapDirectory in the work folder) or ram (RAMDirectory)", DefaultValueFactory = _ => "mmap" };
        lucene.AcceptOnlyFromAmong("mmap", "ram");
        var work = new Option<string?>("--work-dir") { Description = "Where the Lucene and SQLite indexes are written (its lucene/ and fts5.sqlite are replaced; default: a new temporary folder, removed after)" };
        var maxQueries = new Option<int>("--max-queries") { Description = "Ask only the first N queries", DefaultValueFactory = _ => int.MaxValue };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file" };
        var load = new LoadOptions(warmUpPasses: 2);
        var command = new Command("lexical", "BM25 top-k: Lucene.Net and SQLite FTS5 in this process against RagSuite's REST gateway")
        {
            corpus, queries, gateway, collection, reuse, pid, engines, clients, topK, k1, b, lucene, work, maxQueries, json,
        };
        load.AddTo(command);
        command.SetAction(CommandErrors.Handle(async (parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(engines)!.ToHashSet();
            var unknown = chosen.Except([LexicalBenchmark.Lucene, LexicalBenchmark.Sqlite, LexicalBenchmark.RagSuite]).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"--engines: unknown {string.Join(", ", unknown)} (lucene, sqlite, ragsuite)");
            var temporary = parse.GetValue(work) is null;
            var workDirectory = parse.GetValue(work) ?? Directory.CreateTempSubdirectory("ragsuite-bench-lexical-").FullName;
            var settings = new LexicalSettings(parse.GetValue(corpus)!, parse.GetValue(queries)!, chosen, parse.GetValue(clients)!, load.Read(parse),
                parse.GetValue(gateway), parse.GetValue(collection)!, parse.GetValue(reuse), parse.GetValue(pid), workDirectory,
                parse.GetValue(lucene)!, parse.GetValue(topK), parse.GetValue(k1), parse.GetValue(b), parse.GetValue(maxQueries));
            try
            {
                var report = await new LexicalBenchmark(settings, line => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}")).RunAsync(cancellationToken);
                Print(report);
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

    private static void Print(LexicalReport report)
    {
        Console.WriteLine();
        Console.WriteLine($"BM25 top {report.TopK} (k1 {report.K1}, b {report.B}): {report.Documents:N0} documents, {report.QueryCount} queries");
        Console.Write(ResultTable.Format(report.Rows, withRecall: false));
        Console.WriteLine();
        foreach (var a in report.Agreements)
        {
            Console.WriteLine($"top-{report.TopK} overlap {a.First} vs {a.Second}: {a.OverlapById:P1} by id, {a.OverlapBySource:P1} by source document, " +
                $"{a.IdenticalLists}/{a.Queries} lists identical");
        }
        foreach (var note in report.Notes) Console.WriteLine($"note: {note}");
    }
}
