using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagSuite.Inference.Encoders;
using RagSuite.Inference.Models;
using RagSuite.Models.Store;

namespace RagSuite.Embedding;

/// <summary>
/// The embedder's dense model. Loading starts with the host and runs in the background: the model folder
/// is pulled first when it is missing (a catalogue model, with <c>AutoPull</c> on), then its session is
/// created. Whatever fails leaves the embedder serving sparse vectors only, with the reason logged once
/// and reported on every response and in GetInfo.
/// </summary>
public sealed partial class DenseModel(IOptions<EmbedderOptions> options, IOptions<ModelsOptions> models, EncoderModels loaded,
    ILogger<DenseModel> logger) : BackgroundModelLoad<DenseModelState>
{
    public string Name => options.Value.Model;

    protected override async Task<DenseModelState> LoadAsync()
    {
        var name = options.Value.Model;
        if (string.IsNullOrWhiteSpace(name))
        {
            return new DenseModelState(null, $"no dense model is configured ({EmbedderOptions.Section}:Model is empty)");
        }
        try
        {
            var store = new ModelStore(loaded.Directory);
            if (!store.Contains(name))
            {
                if (!models.Value.AutoPull || !ModelCatalog.IsPullable(name))
                {
                    throw new InvalidDataException(
                        $"model '{name}' is not in {loaded.Directory}; put its folder there{(ModelCatalog.IsPullable(name) ? $" or run 'ragsuite models pull {name}'" : "")}");
                }
                LogPulling(logger, name, loaded.Directory);
                await store.PullAsync(name, new Progress<PullProgress>(p => LogPullStep(logger, name, p.Step)), CancellationToken.None);
            }
            var encoder = loaded.TextEncoder(name, options.Value.Batching);
            LogLoaded(logger, name, encoder.Encoder.Manifest.Dimension, encoder.Encoder.Provider.ToString().ToLowerInvariant());
            return new DenseModelState(encoder, null);
        }
        catch (Exception e) when (e is ModelPullException or InvalidDataException or IOException
            or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or UnauthorizedAccessException)
        {
            var reason = $"dense model '{name}' is unavailable: {e.Message}";
            LogUnavailable(logger, reason);
            return new DenseModelState(null, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulling model {Name} into {Directory} (first run; this takes a minute)")]
    private static partial void LogPulling(ILogger logger, string name, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Name}: {Step}")]
    private static partial void LogPullStep(ILogger logger, string name, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dense model {Name} loaded ({Dimension} dimensions, {Provider})")]
    private static partial void LogLoaded(ILogger logger, string name, int dimension, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sparse-only retrieval: {Reason}. Every query response says so until the model is in place and the service restarts.")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
