using System.ComponentModel.DataAnnotations;

namespace RagSuite.Inference.Sessions;

/// <summary>How this process runs models (section <c>RagSuite:Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string Section = "RagSuite:Inference";

    /// <summary>
    /// <c>Cpu</c> (default) or <c>Cuda</c>. CUDA needs the GPU image (built with <c>UseOnnxRuntimeGpu=true</c>);
    /// where its provider cannot load, the model runs on CPU and a warning says why.
    /// </summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Cpu;

    /// <summary>GPU ordinal for <c>Cuda</c>.</summary>
    [Range(0, 63)]
    public int CudaDeviceId { get; set; }

    /// <summary>Threads one CPU inference may use; 0 lets ONNX Runtime use one per core.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Let ONNX Runtime's CPU threads spin between runs. Off by default: spinning shaves little off a run but takes the
    /// cores the gRPC and HTTP threads feeding the model need (measured: see the README's serving efficiency).
    /// </summary>
    public bool AllowSpinning { get; set; }
}
