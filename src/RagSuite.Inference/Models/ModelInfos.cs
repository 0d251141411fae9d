using RagSuite.Contracts.V1;
using RagSuite.Inference.Batching;
using RagSuite.Inference.Encoders;

namespace RagSuite.Inference.Models;

/// <summary>How loaded (or missing) models are described in GetInfo and <c>/v1/models</c>.</summary>
public static class ModelInfos
{
    public static ModelInfo Ready(ModelManifest manifest, string role, Sessions.ExecutionProvider provider, BatchingOptions batching) => new()
    {
        Name = manifest.Name,
        Family = manifest.Family,
        Role = role,
        Dimension = manifest.Dimension,
        MaxTokens = manifest.MaxTokens,
        Precision = manifest.Precision,
        ExecutionProvider = provider.ToString().ToLowerInvariant(),
        Source = manifest.Source ?? "",
        License = manifest.License ?? "",
        Pooling = manifest.Pooling,
        Normalized = manifest.Normalize,
        MaxBatchTokens = batching.MaxBatchTokens,
        MaxBatchSize = batching.MaxBatchSize,
        Status = "ready",
    };

    public static ModelInfo Ready(BatchedTextEncoder encoder, string role, BatchingOptions batching) =>
        Ready(encoder.Encoder.Manifest, role, encoder.Encoder.Provider, batching);

    public static ModelInfo Unavailable(string name, string role, string reason) =>
        new() { Name = name, Role = role, Status = "unavailable", Reason = reason };
}
