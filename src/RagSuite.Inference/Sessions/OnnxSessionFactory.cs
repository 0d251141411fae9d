using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace RagSuite.Inference.Sessions;

/// <summary>
/// Creates one session per model with the configured execution provider. When CUDA is asked for but
/// its provider cannot load (CPU-only package, no driver, no such device), the model runs on CPU and a
/// warning names the cause: a GPU node that lost its GPU serves slowly rather than not at all. A file ONNX Runtime
/// cannot load at all is an <see cref="InvalidDataException"/>.
/// </summary>
public sealed partial class OnnxSessionFactory(IOptions<InferenceOptions> options, ILogger<OnnxSessionFactory> logger)
{
    private readonly InferenceOptions _options = options.Value;

    public OnnxSession Create(string modelPath)
    {
        if (_options.ExecutionProvider == ExecutionProvider.Cuda)
        {
            var cuda = NewOptions();
            try
            {
                cuda.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
                return new OnnxSession(new InferenceSession(modelPath, cuda), ExecutionProvider.Cuda);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                LogCudaUnavailable(logger, e, Path.GetFileName(Path.GetDirectoryName(modelPath)) ?? modelPath, _options.CudaDeviceId, e.Message);
            }
            finally
            {
                cuda.Dispose();
            }
        }
        using var cpu = NewOptions();
        try
        {
            return new OnnxSession(new InferenceSession(modelPath, cpu), ExecutionProvider.Cpu);
        }
        catch (OnnxRuntimeException e)
        {
            // Not a graph ONNX Runtime can run (a Git LFS pointer, a truncated download, an unsupported opset): a bad model
            // folder, reported as every other model folder problem is.
            throw new InvalidDataException($"'{modelPath}' is not a model ONNX Runtime can load: {e.Message}", e);
        }
    }

    private SessionOptions NewOptions()
    {
        var session = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (_options.IntraOpThreads > 0) session.IntraOpNumThreads = _options.IntraOpThreads;
        session.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.AllowSpinning ? "1" : "0");
        return session;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Model {Model}: the CUDA execution provider (device {Device}) could not load, so the model runs on CPU: {Reason}")]
    private static partial void LogCudaUnavailable(ILogger logger, Exception exception, string model, int device, string reason);
}
