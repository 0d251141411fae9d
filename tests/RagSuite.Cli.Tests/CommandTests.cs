using System.Text.Json;
using RagSuite.Cli.Evaluation;
using RagSuite.Testing;

namespace RagSuite.Cli.Tests;

/// <summary>The ragsuite commands end to end, each starting the embedded suite in-process over a temporary data directory.</summary>
// One collection: Spectre.Console allows one live progress display per process at a time.
[Collection("console")]
public sealed class CommandTests : IDisposable
{
    private readonly TemporaryDirectory _work = new("ragsuite-cli");

    private string DataDirectory => Path.Combine(_work.Path, "data");

    // The repository's models directory, where the default model is (or is pulled to once).
    private static Task<int> Run(params string[] args) =>
        RagSuiteCommand.Create().Parse([.. args, "--models", UseLiteModel.ModelsDirectory]).InvokeAsync();

    private string WriteDataset()
    {
        var root = Path.Combine(_work.Path, "tiny", "beir");
        Directory.CreateDirectory(Path.Combine(root, "qrels"));
        File.WriteAllLines(Path.Combine(root, "corpus.jsonl"),
        [
            """{"_id": "d1", "title": "Wings", "text": "Swept wings delay compressibility drag rise."}""",
            """{"_id": "d2", "title": "Engines", "text": "Turbofan engines have a high bypass ratio."}""",
            """{"_id": "d3", "title": "", "text": ""}""",
            """{"_id": "d4", "title": "Heat", "text": "Heat transfer in hypersonic boundary layers is severe."}""",
        ]);
        File.WriteAllLines(Path.Combine(root, "queries.jsonl"),
        [
            """{"_id": "q1", "text": "why are wings swept"}""",
            """{"_id": "q2", "text": "bypass ratio of turbofan engines"}""",
            """{"_id": "q3", "text": "a query nobody judged"}""",
        ]);
        File.WriteAllLines(Path.Combine(root, "qrels", "test.tsv"), ["query-id\tcorpus-id\tscore", "q1\td1\t2", "q2\td2\t1", "q2\td4\t0"]);
        return root;
    }

    [Fact]
    public void Beir_dataset_keeps_judged_queries_and_positive_judgments()
    {
        var dataset = BeirDataset.Load(WriteDataset());

        Assert.Equal("tiny", dataset.Name);
        Assert.Equal(["q1", "q2"], dataset.Queries.Keys.Order());
        Assert.Equal(["d2"], dataset.Judgments["q2"].Keys);
    }

    [Fact]
    public async Task Eval_reports_metrics_and_latency_and_skips_unchanged_documents_on_a_second_run()
    {
        var dataset = WriteDataset();
        var report = Path.Combine(_work.Path, "report.json");

        Assert.Equal(0, await Run("eval", "--dataset", dataset, "--data", DataDirectory, "--json", report));
        Assert.Equal(0, await Run("eval", "--dataset", dataset, "--data", DataDirectory, "--json", report));

        var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement;
        Assert.Equal(2, json.GetProperty("queries").GetInt32());
        Assert.Equal(1.0, json.GetProperty("ndcg10").GetDouble());
        Assert.Equal(1.0, json.GetProperty("mrr10").GetDouble());
        Assert.StartsWith("eval-tiny-", json.GetProperty("collection").GetString());
        Assert.True(json.GetProperty("latency_p50_ms").GetDouble() > 0);
        Assert.Equal("none", json.GetProperty("rerank").GetString());
    }

    [Fact]
    public async Task Bench_answers_every_query_and_reports_latency_throughput_and_stages()
    {
        var report = Path.Combine(_work.Path, "bench.json");

        Assert.Equal(0, await Run("bench", "--dataset", WriteDataset(), "--data", DataDirectory, "--concurrency", "2", "--rounds", "3", "--json", report));

        var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement;
        Assert.Equal(6, json.GetProperty("queries").GetInt32());
        Assert.Equal(2, json.GetProperty("concurrency").GetInt32());
        Assert.Equal("extractive", json.GetProperty("mode").GetString());
        Assert.Equal("none", json.GetProperty("rerank").GetString()); // auto without a cross-encoder: see RerankerOptions
        Assert.True(json.GetProperty("latency_p50_ms").GetDouble() > 0);
        Assert.True(json.GetProperty("latency_p99_ms").GetDouble() >= json.GetProperty("latency_p50_ms").GetDouble());
        Assert.True(json.GetProperty("queries_per_second").GetDouble() > 0);
        Assert.True(json.GetProperty("generate_p50_ms").GetDouble() > 0);
        Assert.NotEqual(0, await Run("bench", "--dataset", WriteDataset(), "--data", DataDirectory, "--concurrency", "0"));
    }

    [Theory]
    [InlineData("--compare", "embedded")]                                 // one mode: nothing to compare
    [InlineData("--compare", "embedded,embedded")]
    [InlineData("--compare", "embedded,kubernetes")]
    [InlineData("--compare", "embedded,distributed", "--concurrency", "1,0")]
    [InlineData("--compare", "embedded,distributed", "--concurrency", "1,x")]
    [InlineData("--compare", "embedded,distributed", "--block", "0")]
    [InlineData("--compare", "embedded,distributed", "--server", "http://127.0.0.1:1")]
    [InlineData("--concurrency", "1,4")]                                  // a list only with --compare
    public void Bench_compare_refuses_bad_options_before_starting_anything(params string[] options)
    {
        var parse = RagSuiteCommand.Create().Parse(["bench", "--dataset", "unused", .. options]);

        Assert.NotEmpty(parse.Errors);
    }

    [Fact]
    public void Bench_compare_accepts_both_modes_and_a_concurrency_list()
    {
        var parse = RagSuiteCommand.Create().Parse(["bench", "--dataset", "unused", "--compare", "distributed,embedded", "--concurrency", "1, 4"]);

        Assert.Empty(parse.Errors);
    }

    [Fact]
    public async Task Ingest_then_query_answers_from_the_ingested_files()
    {
        var docs = Path.Combine(_work.Path, "docs");
        Directory.CreateDirectory(Path.Combine(docs, "sub"));
        await File.WriteAllTextAsync(Path.Combine(docs, "mach.md"), "# Mach number\n\nMach number is flow speed divided by the speed of sound.");
        await File.WriteAllTextAsync(Path.Combine(docs, "sub", "lift.txt"), "Lift grows with the angle of attack until the wing stalls.");
        await File.WriteAllTextAsync(Path.Combine(docs, "notes.jsonl"), """{"id": "n1", "text": "Flutter is an aeroelastic instability.", "metadata": {"kind": "note"}}""" + "\n");
        await File.WriteAllTextAsync(Path.Combine(docs, "image.png"), "not text");

        Assert.Equal(0, await Run("ingest", docs, "--collection", "aero", "--data", DataDirectory));

        await using var connection = await GatewayConnection.OpenAsync(null, new EmbeddedSuite(DataDirectory, UseLiteModel.ModelsDirectory, []),
            CancellationToken.None);
        var collection = await connection.Client.FindCollectionAsync("aero", CancellationToken.None);
        Assert.Equal(3, collection!.DocumentCount);
        var answer = await connection.Client.QueryAsync(
            new Gateway.Api.QueryBody("When does a wing stall?", "aero", TopK: 3), CancellationToken.None);
        Assert.Equal("sub/lift.txt", answer.Citations[0].DocumentId);
        Assert.Contains("angle of attack", answer.Answer);
    }

    [Fact]
    public async Task Query_command_streams_an_answer()
    {
        var docs = Path.Combine(_work.Path, "one.txt");
        await File.WriteAllTextAsync(docs, "The Concorde cruised at Mach 2.04.");
        Assert.Equal(0, await Run("ingest", docs, "--collection", "planes", "--data", DataDirectory));

        Assert.Equal(0, await Run("query", "How fast did the Concorde cruise?", "--collection", "planes", "--data", DataDirectory));
    }

    [Fact]
    public async Task Commands_talk_to_a_running_gateway_given_by_server()
    {
        await using var gateway = await RunningHost.StartAsync(Gateway.GatewayHost.Build, $"RagSuite:Retriever:DataDirectory={DataDirectory}",
            $"RagSuite:Models:Directory={UseLiteModel.ModelsDirectory}");
        var report = Path.Combine(_work.Path, "remote.json");

        Assert.Equal(0, await Run("eval", "--dataset", WriteDataset(), "--server", gateway.HttpAddress.ToString(), "--json", report));

        var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement;
        Assert.StartsWith("gateway at http://127.0.0.1:", json.GetProperty("target").GetString());
        Assert.Equal(1.0, json.GetProperty("ndcg10").GetDouble());
        Assert.NotEqual(0, await Run("query", "x", "--collection", "eval-tiny", "--server", "not a url"));
    }

    [Fact]
    public async Task Errors_are_reported_with_exit_code_one()
    {
        Assert.Equal(1, await Run("query", "anything", "--collection", "missing", "--data", DataDirectory));
        Assert.Equal(1, await Run("eval", "--dataset", Path.Combine(_work.Path, "nowhere"), "--data", DataDirectory));
        Assert.Equal(1, await Run("ingest", Path.Combine(_work.Path, "nowhere"), "--collection", "x", "--data", DataDirectory));
        Assert.Equal(1, await Run("query", "anything", "--collection", "x", "--data", DataDirectory, "--colection-typo"));
        Assert.Equal(1, await Run("models", "pull", "no-such-model"));
    }

    [UseLiteFact]
    public async Task Models_list_shows_the_pulled_default_model_and_pull_leaves_it_in_place()
    {
        await UseLiteModel.EnsureAsync();
        var before = File.GetLastWriteTimeUtc(Path.Combine(UseLiteModel.Directory, "model.onnx"));

        Assert.Equal(0, await Run("models", "list"));
        Assert.Equal(0, await Run("models", "pull", "use-lite"));

        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(UseLiteModel.Directory, "model.onnx")));
    }

    public void Dispose() => _work.Dispose();
}
