namespace RagSuite.Inference.Models;

/// <summary>The kinds of model folder RagSuite runs, as named in a manifest's <c>family</c>.</summary>
public static class ModelFamilies
{
    /// <summary>A Hugging Face ONNX export of a BERT-family sentence encoder (MiniLM, BGE, E5, GTE, nomic).</summary>
    public const string Bert = "bert";

    /// <summary>A Hugging Face ONNX export of a BERT-family cross-encoder: one relevance logit per (query, passage).</summary>
    public const string BertCrossEncoder = "bert-cross-encoder";

    /// <summary>Universal Sentence Encoder Lite, converted from its TF.js weights by <c>ragsuite models pull use-lite</c>.</summary>
    public const string UseLite = "use-lite";

    public static bool IsKnown(string? family) => family is Bert or BertCrossEncoder or UseLite;

    public static bool IsCrossEncoder(string family) => family == BertCrossEncoder;
}
