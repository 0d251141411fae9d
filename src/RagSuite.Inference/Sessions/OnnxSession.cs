using Microsoft.ML.OnnxRuntime;

namespace RagSuite.Inference.Sessions;

/// <summary>
/// One loaded ONNX model: its thread-safe <see cref="InferenceSession"/>, the provider it really runs on,
/// and the <see cref="RunOptions"/> every run passes (ONNX Runtime 1.31 refuses a run without them).
/// </summary>
public sealed class OnnxSession(InferenceSession session, ExecutionProvider provider) : IDisposable
{
    private readonly RunOptions _runOptions = new();

    public InferenceSession Session { get; } = session;

    public ExecutionProvider Provider { get; } = provider;

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => Session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> Outputs => Session.OutputMetadata;

    public IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs,
        IReadOnlyCollection<string> outputNames) =>
        Session.Run(_runOptions, inputNames, inputs, outputNames);

    public void Dispose()
    {
        Session.Dispose();
        _runOptions.Dispose();
    }
}
