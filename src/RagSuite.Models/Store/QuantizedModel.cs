using RagSuite.Inference.Models;
using RagSuite.Models.Quantization;

namespace RagSuite.Models.Store;

/// <summary>An int8 model folder the store installed, and what quantising it did.</summary>
public sealed record QuantizedModel(ModelFolder Folder, QuantizationSummary Summary);
