using System.CommandLine;
using System.Diagnostics;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Dense;
using RagSuite.Contracts.V1;

namespace RagSuite.Bench.Peers.Commands;

/// <summary>
/// <c>embed-texts --embedder URL --from DIR... --documents N --queries N --out DIR</c>: the "real text" vector set.
/// Passages cut from the corpora (<see cref="PassageTexts"/>) and the sources' queries are embedded by RagSuite's
/// embedder service and cached as <c>documents.f32</c> and <c>queries.f32</c> (<see cref="VectorFile"/>), once.
/// </summary>
internal static class EmbedTextsCommand
{
    public static Command Create()
    {
        var embedder = Urls.Option("--embedder", "gRPC address of a running RagSuite embedder, e.g. http://127.0.0.1:8091", required: true);
        var from = new Option<string[]>("--from") { Description = "BEIR folders whose texts and queries are embedded", Required = true, AllowMultipleArgumentsPerToken = true };
        var documents = new Option<int>("--documents", "-n") { Description = "Passages to embed", DefaultValueFactory = _ => 100_000 };
        var queries = new Option<int>("--queries") { Description = "Queries to embed (the sources' queries, in order)", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--out") { Description = "Folder for documents.f32 and queries.f32", Required = true };
        var batch = new Option<int>("--batch") { Description = "Texts per embedding call", DefaultValueFactory = _ => 64 };
        var command = new Command("embed-texts", "Embed real passages and queries with RagSuite's embedder service and cache the vectors in files")
        {
            embedder, from, documents, queries, output, batch,
        };
        command.SetAction(CommandErrors.Handle(async (parse, cancellationToken) =>
        {
            var sources = parse.GetValue(from)!;
            var corpus = sources.SelectMany(BeirFiles.ReadCorpus).ToList();
            var passages = PassageTexts.Cut(corpus, parse.GetValue(documents));
            var questions = sources.SelectMany(BeirFiles.ReadQueries).Select(q => q.Text).Distinct(StringComparer.Ordinal).Take(parse.GetValue(queries)).ToList();
            if (questions.Count < parse.GetValue(queries)) Console.Error.WriteLine($"only {questions.Count} distinct queries in the sources");

            using var client = new SuiteEmbedder(parse.GetValue(embedder)!);
            var info = await client.InfoAsync(cancellationToken);
            Console.Error.WriteLine($"embedding {passages.Count:N0} passages and {questions.Count:N0} queries with {info.DenseModel} ({info.DenseDimension} dimensions)");
            var done = 0;
            var clock = Stopwatch.StartNew();
            void Progress(int n)
            {
                var total = Interlocked.Add(ref done, n);
                if (total % 5000 < n) Console.Error.WriteLine($"  {total:N0} texts, {total / clock.Elapsed.TotalSeconds:N0}/s");
            }
            var passageVectors = await client.EmbedAsync(passages, InputKind.Passage, parse.GetValue(batch), Progress, cancellationToken);
            var queryVectors = await client.EmbedAsync(questions, InputKind.Query, parse.GetValue(batch), Progress, cancellationToken);

            var folder = parse.GetValue(output)!;
            VectorFile.Write(Path.Combine(folder, DenseFiles.Documents), passageVectors);
            VectorFile.Write(Path.Combine(folder, DenseFiles.Queries), queryVectors);
            await File.WriteAllTextAsync(Path.Combine(folder, "model.txt"), $"{info.DenseModel}\n", cancellationToken);
            Console.WriteLine($"{passageVectors.Count:N0} + {queryVectors.Count:N0} vectors of {info.DenseDimension} in {Path.GetFullPath(folder)} ({clock.Elapsed.TotalSeconds:N0} s)");
            return 0;
        }));
        return command;
    }
}
