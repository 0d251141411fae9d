using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagSuite.Inference.Encoders;

namespace RagSuite.Reranking;

/// <summary>
/// Loads the configured cross-encoder when the host starts, in the background; readiness waits for it.
/// A cross-encoder that cannot load leaves AUTO on its fallback, with the reason logged and reported.
/// </summary>
public sealed partial class CrossEncoderModel(IOptions<RerankerOptions> options, EncoderModels loaded, ILogger<CrossEncoderModel> logger)
    : IHostedService
{
    private readonly TaskCompletionSource<CrossEncoderState> _state = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    public string Name => options.Value.CrossEncoderModel;

    public bool IsSettled => _state.Task.IsCompleted;

    public Task<CrossEncoderState> StateAsync(CancellationToken cancellationToken)
    {
        Start();
        return _state.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = Task.Run(Load);
    }

    private void Load()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            _state.SetResult(new CrossEncoderState(null, null));
            return;
        }
        try
        {
            var encoder = loaded.CrossEncoder(Name, options.Value.Batching);
            LogLoaded(logger, Name, encoder.Encoder.Provider.ToString().ToLowerInvariant());
            _state.SetResult(new CrossEncoderState(encoder, null));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            var reason = $"cross-encoder '{Name}' is unavailable: {e.Message}";
            LogUnavailable(logger, reason);
            _state.SetResult(new CrossEncoderState(null, reason));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cross-encoder {Name} loaded ({Provider})")]
    private static partial void LogLoaded(ILogger logger, string name, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; auto reranking falls back to the configured alternative")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
