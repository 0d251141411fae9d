using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RagSuite.Inference.Tokenization;

namespace RagSuite.Inference.Encoders;

/// <summary>
/// One padded batch as ONNX Runtime inputs: <c>input_ids</c>, <c>attention_mask</c> and, where the graph
/// takes it, <c>token_type_ids</c>, each as int64 or int32 as the graph declares. Built by the batcher while
/// the previous batch runs, so the inference loop only calls the model.
/// </summary>
internal sealed class BatchInputs : IDisposable
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";

    private readonly List<OrtValue> _values = [];

    public BatchInputs(IReadOnlyList<TokenizedText> batch, long paddingId, IReadOnlyDictionary<string, NodeMetadata> inputs)
    {
        Rows = batch.Count;
        Columns = Math.Max(1, batch.Max(t => t.Length));
        Mask = new long[Rows * Columns];
        var ids = new long[Rows * Columns];
        var types = new long[Rows * Columns];
        Array.Fill(ids, paddingId);
        for (var row = 0; row < Rows; row++)
        {
            var text = batch[row];
            var offset = row * Columns;
            text.Ids.CopyTo(ids, offset);
            text.TypeIds.CopyTo(types, offset);
            Array.Fill(Mask, 1L, offset, text.Length);
        }

        foreach (var (name, data) in new[] { (InputIds, ids), (AttentionMask, Mask), (TokenTypeIds, types) })
        {
            if (!inputs.TryGetValue(name, out var metadata)) continue;
            Names.Add(name);
            _values.Add(metadata.ElementDataType == TensorElementType.Int32
                ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (int)v), [Rows, Columns])
                : OrtValue.CreateTensorValueFromMemory(data, [Rows, Columns]));
        }
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>1 for a real token, 0 for padding, row-major.</summary>
    public long[] Mask { get; }

    public List<string> Names { get; } = [];

    public IReadOnlyCollection<OrtValue> Values => _values;

    /// <summary>The inputs a graph must have for RagSuite to feed it, and what is wrong when it lacks one.</summary>
    public static string? Unsupported(IReadOnlyDictionary<string, NodeMetadata> inputs)
    {
        var unknown = inputs.Keys.Where(k => k is not (InputIds or AttentionMask or TokenTypeIds)).ToList();
        if (!inputs.ContainsKey(InputIds)) return $"the graph has no '{InputIds}' input (it has {string.Join(", ", inputs.Keys)})";
        if (unknown.Count > 0) return $"the graph has inputs RagSuite cannot fill: {string.Join(", ", unknown)}";
        return null;
    }

    public void Dispose()
    {
        foreach (var value in _values) value.Dispose();
    }
}
