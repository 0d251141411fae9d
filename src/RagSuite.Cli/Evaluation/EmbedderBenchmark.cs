using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Gateway.Api;
using RagSuite.Gateway.Ingestion;
using RagSuite.Gateway.Pipeline;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Inference.Sessions;
using RagSuite.Inference.Tokenization;
using EmbedderClient = RagSuite.Contracts.V1.Embedder.EmbedderClient;

namespace RagSuite.Cli.Evaluation;

/// <summary>
/// How close serving comes to the model's own speed, measured side by side in one run:
/// <list type="number">
/// <item>raw ONNX Runtime on texts of 20–60 words, tokenised beforehand, sorted by length, at each batch size;</item>
/// <item>the same texts through the embedder's gRPC service, one text per call from many concurrent callers
/// (tokenisation, queueing, batching and the network included);</item>
/// <item>the dataset's whole corpus ingested through the embedded suite's REST API (chunking, dense and sparse
/// embedding, fsynced writes), against raw ONNX Runtime on exactly the model inputs ingestion makes.</item>
/// </list>
/// </summary>
public sealed class EmbedderBenchmark(string modelsDirectory, string model, int intraOpThreads)
{
    private static readonly int[] BatchSizes = [1, 2, 4, 8, 16, 32, 64];

    /// <param name="Texts">Texts of 20–60 words in each raw and served pass.</param>
    /// <param name="Callers">Concurrent gRPC callers, one text per call.</param>
    /// <param name="Rounds">Alternating raw and served passes; each side's figure is its median pass.</param>
    public sealed record Settings(int Texts = 512, int Callers = 64, int Rounds = 3);

    public sealed record RawPoint(int BatchSize, double TextsPerSecond);

    private sealed record Served(double TextsPerSecond, double MeanBatch, double ModelBusy, double RealTokenShare);

    public async Task<EmbedderReport> RunAsync(BeirDataset dataset, Settings settings, Action<string> step, CancellationToken cancellationToken)
    {
        var folder = ModelFolder.Open(Path.Combine(modelsDirectory, model));
        var sessions = new OnnxSessionFactory(Options.Create(new InferenceOptions { IntraOpThreads = intraOpThreads }), NullLogger<OnnxSessionFactory>.Instance);
        var texts = BenchmarkTexts.Pieces(dataset.CorpusPath, settings.Texts);
        using var encoder = TextEncoder.Load(folder, sessions);
        var tokenized = texts.Select(encoder.Tokenizer.Encode).OrderBy(t => t.Length).ToList();

        step($"raw ONNX Runtime on {texts.Count} texts at batch sizes {string.Join(", ", BatchSizes)}");
        List<RawPoint> sweep = [.. BatchSizes.Select(b => new RawPoint(b, tokenized.Count / PassSeconds(encoder, tokenized, b, warmUp: true)))];
        var batchSize = sweep.MaxBy(p => p.TextsPerSecond)!.BatchSize;

        step($"raw passes at batch {batchSize} alternating with {settings.Callers} concurrent callers through the gRPC embedder");
        var (rawTextsPerSecond, served) = await ServeAsync(encoder, tokenized, batchSize, texts, settings, cancellationToken);

        step($"ingesting {dataset.Name} through the embedded suite, alternating with raw passes over the same model inputs");
        var ingestion = await IngestAsync(dataset, encoder, batchSize, settings.Rounds, cancellationToken);

        return new EmbedderReport(dataset.Name, model, folder.Manifest.Precision, texts.Count, texts.Average(WordCount), tokenized.Average(t => t.Length),
            sweep, batchSize, rawTextsPerSecond, settings.Callers, served.TextsPerSecond, served.TextsPerSecond / rawTextsPerSecond,
            served.MeanBatch, served.ModelBusy, served.RealTokenShare,
            ingestion.Chunks, ingestion.ModelInputs, ingestion.ChunksPerSecond, ingestion.RawChunksPerSecond,
            ingestion.ChunksPerSecond / ingestion.RawChunksPerSecond, PeakResidentMegabytes());
    }

    /// <summary>Seconds for one pass over every text in batches of <paramref name="batchSize"/> (after an untimed one, if asked).</summary>
    private static double PassSeconds(TextEncoder encoder, List<TokenizedText> texts, int batchSize, bool warmUp = false)
    {
        for (var pass = warmUp ? 0 : 1; pass < 2; pass++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < texts.Count; i += batchSize)
            {
                encoder.Encode([.. texts.Skip(i).Take(batchSize)]);
            }
            if (pass == 1) return Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        throw new UnreachableException();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private async Task<(double RawTextsPerSecond, Served Served)> ServeAsync(TextEncoder encoder, List<TokenizedText> tokenized, int batchSize,
        List<string> texts, Settings settings, CancellationToken cancellationToken)
    {
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        var host = Embedder.EmbedderHost.Build(
        [
            "--RagSuite:Hosting:BindAddress=127.0.0.1", $"--RagSuite:Hosting:HttpPort={httpPort}", $"--RagSuite:Hosting:GrpcPort={grpcPort}",
            $"--RagSuite:Models:Directory={modelsDirectory}", $"--RagSuite:Embedder:Model={model}",
            $"--RagSuite:Inference:IntraOpThreads={intraOpThreads}", "--Logging:LogLevel:Default=Warning",
        ]);
        await host.StartAsync(cancellationToken);
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var client = new EmbedderClient(channel);
            using var http = new HttpClient();
            var metricsUri = new Uri($"http://127.0.0.1:{httpPort}/metrics");
            await CallAllAsync(client, texts, settings.Callers, texts.Count, cancellationToken); // warm-up
            var before = await http.GetStringAsync(metricsUri, cancellationToken);
            List<double> raw = [], served = [];
            for (var round = 0; round < settings.Rounds; round++)
            {
                raw.Add(PassSeconds(encoder, tokenized, batchSize));
                var started = Stopwatch.GetTimestamp();
                await CallAllAsync(client, texts, settings.Callers, texts.Count, cancellationToken);
                served.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            var after = await http.GetStringAsync(metricsUri, cancellationToken);
            double Delta(string series) => PrometheusText.Sum(after, series) - PrometheusText.Sum(before, series);
            return (texts.Count / Median(raw), new Served(texts.Count / Median(served),
                Delta("ragsuite_encoder_batch_size_sum") / Delta("ragsuite_encoder_batch_size_count"),
                Delta("ragsuite_encoder_inference_duration_seconds_sum") / served.Sum(),
                Delta("ragsuite_encoder_tokens_total") / Delta("ragsuite_encoder_batch_tokens_sum")));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            await host.DisposeAsync();
        }
    }

    private static Task CallAllAsync(EmbedderClient client, List<string> texts, int callers, int calls, CancellationToken cancellationToken)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < calls; i = Interlocked.Increment(ref next))
            {
                await client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { texts[i % texts.Count] } }, cancellationToken: cancellationToken);
            }
        }, cancellationToken)));
    }

    private async Task<(int Chunks, int ModelInputs, double ChunksPerSecond, double RawChunksPerSecond)> IngestAsync(BeirDataset dataset,
        TextEncoder encoder, int batchSize, int rounds, CancellationToken cancellationToken)
    {
        using var data = new TemporaryFolder();
        await using var connection = await GatewayConnection.OpenAsync(null,
            new EmbeddedSuite(data.Path, modelsDirectory, [$"--RagSuite:Embedder:Model={model}", $"--RagSuite:Inference:IntraOpThreads={intraOpThreads}"]),
            cancellationToken);
        List<double> ingested = [], raw = [];
        var chunks = 0;
        List<TokenizedText> inputs = [];
        for (var round = 0; round < Math.Max(1, rounds - 1); round++)
        {
            var collection = await connection.Client.CreateCollectionAsync(new CreateCollectionBody($"bench-{round}", null, null), cancellationToken);
            var started = Stopwatch.GetTimestamp();
            chunks = (await new Ingester(connection.Client).IngestAsync(collection.Name, dataset.CorpusPath, [dataset.CorpusPath], _ => { }, cancellationToken)).Chunks;
            ingested.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);

            // The model inputs ingestion made: each chunk's title and text, in sentence windows where it is over the limit.
            if (inputs.Count == 0) inputs = ModelInputs(dataset, encoder, collection.Chunking);
            raw.Add(PassSeconds(encoder, inputs, batchSize));
        }
        return (chunks, inputs.Count, chunks / Median(ingested), chunks / Median(raw));
    }

    private static List<TokenizedText> ModelInputs(BeirDataset dataset, TextEncoder encoder, ChunkingBody chunking) =>
        [.. BenchmarkTexts.Documents(dataset.CorpusPath)
            .SelectMany(d => ChunkPlanner.Plan(d.Text, chunking.MaxTokens!.Value, chunking.OverlapTokens!.Value)
                .DefaultIfEmpty(new ChunkPlanner.Chunk(0, 0, 0, 0))
                .Select(c => ModelText.Of(d.Title, d.Text[c.Start..c.End])))
            .SelectMany(text => PassageWindows.Of(text, encoder.Manifest.PassagePrefix, encoder.Tokenizer))
            .Select(window => encoder.Tokenizer.Encode(encoder.Manifest.PassagePrefix + window))
            .OrderBy(t => t.Length)];

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Peak resident memory of this process (VmHWM on Linux), in MiB.</summary>
    private static double PeakResidentMegabytes()
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is not null
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0
            : Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
    }

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ragsuite-bench-{Guid.NewGuid():N}");

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }
}
