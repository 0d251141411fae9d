using System.Globalization;

namespace RagSuite.Models.Quantization;

/// <summary>What an int8 quantisation did: the MatMuls it rewrote and the serialised model's size before and after.</summary>
public sealed record QuantizationSummary(int QuantizedMatMuls, int OtherMatMuls, long BytesBefore, long BytesAfter)
{
    /// <summary>How many times smaller the model became.</summary>
    public double Reduction => BytesAfter > 0 ? (double)BytesBefore / BytesAfter : 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{QuantizedMatMuls} MatMul(s) quantised to int8 ({OtherMatMuls} other MatMul(s) left in float32); " +
        $"{BytesBefore / 1e6:0.0} MB -> {BytesAfter / 1e6:0.0} MB ({Reduction:0.00}x smaller)");
}
