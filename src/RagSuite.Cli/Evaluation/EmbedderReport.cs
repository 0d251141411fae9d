namespace RagSuite.Cli.Evaluation;

/// <summary>
/// Raw ONNX Runtime throughput by batch size, served throughput with many concurrent callers, ingestion throughput,
/// the two ratios against the raw figure, and the process's peak memory. <c>ModelBusy</c> is the share of the served run
/// the model spent running batches; <c>RealTokenShare</c> the share of batch tokens that were not padding.
/// </summary>
public sealed record EmbedderReport(
    string Dataset,
    string Model,
    string Precision,
    int Texts,
    double MeanWords,
    double MeanTokens,
    IReadOnlyList<EmbedderBenchmark.RawPoint> Raw,
    int BestBatchSize,
    double RawTextsPerSecond,
    int Callers,
    double ServedTextsPerSecond,
    double ServingRatio,
    double MeanServedBatch,
    double ModelBusy,
    double RealTokenShare,
    int IngestedChunks,
    int IngestModelInputs,
    double IngestChunksPerSecond,
    double RawChunksPerSecond,
    double IngestRatio,
    double PeakResidentMb);
