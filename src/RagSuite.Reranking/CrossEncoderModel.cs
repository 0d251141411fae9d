using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;

namespace RagSuite.Reranking;

/// <summary>
/// Loads the configured cross-encoder when the host starts, in the background; readiness waits for it.
/// A cross-encoder that cannot load leaves AUTO on its fallback, with the reason logged and reported.
/// </summary>
public sealed partial class CrossEncoderModel(IOptions<RerankerOptions> options, EncoderModels loaded, ILogger<CrossEncoderModel> logger)
    : BackgroundModelLoad<CrossEncoderState>
{
    public string Name => options.Value.CrossEncoderModel;

    protected override Task<CrossEncoderState> LoadAsync() => Task.FromResult(Load());

    private CrossEncoderState Load()
    {
        if (string.IsNullOrWhiteSpace(Name)) return new CrossEncoderState(null, null);
        try
        {
            var encoder = loaded.CrossEncoder(Name, options.Value.Batching);
            LogLoaded(logger, Name, encoder.Encoder.Provider.ToString().ToLowerInvariant());
            return new CrossEncoderState(encoder, null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            var reason = $"cross-encoder '{Name}' is unavailable: {e.Message}";
            LogUnavailable(logger, reason);
            return new CrossEncoderState(null, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cross-encoder {Name} loaded ({Provider})")]
    private static partial void LogLoaded(ILogger logger, string name, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; auto reranking falls back to the configured alternative")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
