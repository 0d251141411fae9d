namespace RagSuite.Generation.Safety;

/// <summary>
/// What <see cref="InjectionDetector.Scan"/> found: whether any signal fired and which ones, each
/// named once, in the order of <see cref="InjectionSignals.All"/> so that results compare and log stably.
/// </summary>
public sealed record InjectionScan(bool Detected, IReadOnlyList<string> Signals)
{
    public static InjectionScan Clean { get; } = new(false, []);
}
