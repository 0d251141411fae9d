namespace RagSuite.Inference.Tests;

/// <summary>
/// Compares float outputs with the absolute tolerance every numeric test here uses, and returns the largest
/// difference so a test can report how close it really was.
/// </summary>
internal static class Closeness
{
    public const double Tolerance = 1e-4;

    public static double Assert(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what)
    {
        Xunit.Assert.Equal(expected.Count, actual.Count);
        var worst = 0.0;
        for (var i = 0; i < expected.Count; i++) worst = Math.Max(worst, Math.Abs((double)expected[i] - actual[i]));
        Xunit.Assert.True(worst <= Tolerance, $"{what}: largest difference {worst:E2} exceeds {Tolerance:E0}");
        return worst;
    }

    public static double Assert(double expected, double actual, string what)
    {
        var difference = Math.Abs(expected - actual);
        Xunit.Assert.True(difference <= Tolerance, $"{what}: expected {expected:R}, got {actual:R} (difference {difference:E2} exceeds {Tolerance:E0})");
        return difference;
    }
}
