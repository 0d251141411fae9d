namespace RagSuite.Core.Telemetry;

/// <summary>
/// The histogram buckets every RagSuite duration uses, in seconds: from half a millisecond (an
/// in-memory search) to ten seconds (a long generation), so dashboards compare stages on one scale.
/// </summary>
public static class DurationBuckets
{
    public static readonly IReadOnlyList<double> Seconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
}
