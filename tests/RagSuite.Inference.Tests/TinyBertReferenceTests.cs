using RagSuite.Inference.Tests.Generated;

namespace RagSuite.Inference.Tests;

/// <summary>The plain forward pass is only a reference if its one non-elementary function is right.</summary>
public sealed class TinyBertReferenceTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(5.0, 0.9999999999984626)]
    public void Erf_matches_tabulated_values(double x, double erf) => Assert.Equal(erf, TinyBertReference.Erf(x), 1e-13);
}
