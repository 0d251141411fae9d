using System.Diagnostics;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// Spans for the query pipeline's stages. The service defaults trace every <c>RagSuite.*</c> source, so these are
/// exported with the gateway's server and client spans; each stage span is the parent of the gRPC call it makes.
/// </summary>
public static class GatewayTracing
{
    public const string SourceName = "RagSuite.Gateway";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts the span of one stage (<c>embed</c>, <c>retrieve</c>, <c>rerank</c>, <c>generate</c>). It carries no
    /// question, collection or document: span attributes are as public as logs.
    /// </summary>
    public static Activity? StartStage(string stage) => Source.StartActivity(stage, ActivityKind.Internal);

    /// <summary>Marks a stage that was answered by a fallback, so a trace shows the degradation where it happened.</summary>
    public static void Degraded(Activity? stage, string fallback)
    {
        stage?.SetTag("ragsuite.fallback", fallback);
        stage?.SetStatus(ActivityStatusCode.Error, "service unavailable; answered by " + fallback);
    }
}
