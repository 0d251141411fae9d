using System.Diagnostics;

namespace RagSuite.Inference.Batching;

/// <summary>
/// Spans for model batches. The service defaults trace every <c>RagSuite.*</c> source, so the embedder and reranker
/// hosts export these without further wiring.
/// </summary>
public static class InferenceTracing
{
    public const string SourceName = "RagSuite.Inference";

    /// <summary>The span name of one model batch; the model is a tag, so the name stays one of a kind.</summary>
    public const string BatchSpan = "inference batch";

    public static readonly ActivitySource Source = new(SourceName);
}
