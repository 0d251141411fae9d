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

    public sealed record Settings(int Texts = 512, int Callers = 64, int Rounds = 2);

    public sealed record RawPoint(int BatchSize, double TextsPerSecond);

    public async Task<EmbedderReport> RunAsync(BeirDataset dataset, Settings settings, Action<string> step, CancellationToken cancellationToken)
    {
        var folder = ModelFolder.Open(Path.Combine(modelsDirectory, model));
        var sessions = new OnnxSessionFactory(Options.Create(new InferenceOptions { IntraOpThreads = intraOpThreads }), NullLogger<OnnxSessionFactory>.Instance);
        var texts = BenchmarkTexts.Pieces(dataset.CorpusPath, settings.Texts);

        step($"raw ONNX Runtime on {texts.Count} texts at batch sizes {string.Join(", ", BatchSizes)}");
        List<RawPoint> raw;
        double meanTokens;
        using (var encoder = TextEncoder.Load(folder, sessions))
        {
            var tokenized = texts.Select(encoder.Tokenizer.Encode).OrderBy(t => t.Length).ToList();
            meanTokens = tokenized.Average(t => t.Length);
            raw = [.. BatchSizes.Select(b => new RawPoint(b, tokenized.Count / BestSeconds(encoder, tokenized, b)))];
        }
        var best = raw.MaxBy(p => p.TextsPerSecond)!;

        step($"{settings.Callers} concurrent callers through the gRPC embedder");
        var (served, meanBatch) = await ServeAsync(texts, settings, cancellationToken);

        step($"ingesting {dataset.Name} through the embedded suite");
        var ingestion = await IngestAsync(dataset, folder, sessions, best.BatchSize, cancellationToken);

        return new EmbedderReport(dataset.Name, model, folder.Manifest.Precision, texts.Count, texts.Average(WordCount), meanTokens,
            raw, best.BatchSize, best.TextsPerSecond, settings.Callers, served, served / best.TextsPerSecond, meanBatch,
            ingestion.Chunks, ingestion.ModelInputs, ingestion.ChunksPerSecond, ingestion.RawChunksPerSecond,
            ingestion.ChunksPerSecond / ingestion.RawChunksPerSecond, PeakResidentMegabytes());
    }

    /// <summary>Seconds for the fastest of two timed passes over every text, after an untimed one.</summary>
    private static double BestSeconds(TextEncoder encoder, List<TokenizedText> texts, int batchSize)
    {
        var bestSeconds = double.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < texts.Count; i += batchSize)
            {
                encoder.Encode([.. texts.Skip(i).Take(batchSize)]);
            }
            if (pass > 0) bestSeconds = Math.Min(bestSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return bestSeconds;
    }

    private async Task<(double TextsPerSecond, double MeanBatch)> ServeAsync(List<string> texts, Settings settings,
        CancellationToken cancellationToken)
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
            await CallAllAsync(client, texts, settings.Callers, texts.Count, cancellationToken); // warm-up
            var started = Stopwatch.GetTimestamp();
            await CallAllAsync(client, texts, settings.Callers, texts.Count * settings.Rounds, cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"), cancellationToken);
            return (texts.Count * settings.Rounds / seconds, PrometheusText.Mean(metrics, "ragsuite_encoder_batch_size"));
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
        ModelFolder folder, OnnxSessionFactory sessions, int batchSize, CancellationToken cancellationToken)
    {
        using var data = new TemporaryFolder();
        await using var connection = await GatewayConnection.OpenAsync(null,
            new EmbeddedSuite(data.Path, modelsDirectory, [$"--RagSuite:Embedder:Model={model}", $"--RagSuite:Inference:IntraOpThreads={intraOpThreads}"]),
            cancellationToken);
        var collection = await connection.Client.CreateCollectionAsync(new CreateCollectionBody("bench", null, null), cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var totals = await new Ingester(connection.Client).IngestAsync("bench", dataset.CorpusPath, [dataset.CorpusPath], _ => { }, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // The model inputs ingestion made: each chunk's title and text, in sentence windows where it is over the limit.
        using var encoder = TextEncoder.Load(folder, sessions);
        var chunking = collection.Chunking;
        var inputs = BenchmarkTexts.Documents(dataset.CorpusPath)
            .SelectMany(d => ChunkPlanner.Plan(d.Text, chunking.MaxTokens!.Value, chunking.OverlapTokens!.Value)
                .DefaultIfEmpty(new ChunkPlanner.Chunk(0, 0, 0, 0))
                .Select(c => ModelText.Of(d.Title, d.Text[c.Start..c.End])))
            .SelectMany(text => PassageWindows.Of(text, encoder.Manifest.PassagePrefix, encoder.Tokenizer))
            .Select(window => encoder.Tokenizer.Encode(encoder.Manifest.PassagePrefix + window))
            .OrderBy(t => t.Length)
            .ToList();
        var rawSeconds = BestSeconds(encoder, inputs, batchSize);
        return (totals.Chunks, inputs.Count, totals.Chunks / seconds, totals.Chunks / rawSeconds);
    }

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
