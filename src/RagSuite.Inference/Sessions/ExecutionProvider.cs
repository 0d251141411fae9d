namespace RagSuite.Inference.Sessions;

/// <summary>Where ONNX Runtime runs a model.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
}
