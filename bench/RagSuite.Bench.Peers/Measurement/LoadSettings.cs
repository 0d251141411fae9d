namespace RagSuite.Bench.Peers.Measurement;

/// <summary>
/// How long a target is driven. Warm-up passes over the queries come first (unmeasured, cut short after
/// <see cref="WarmUpSeconds"/>); then whole passes are measured until <see cref="Seconds"/> have gone by, at least one
/// pass and at most <see cref="MaxPasses"/>, so a fast engine gets thousands of samples and a slow one still finishes.
/// </summary>
public sealed record LoadSettings(int WarmUpPasses = 2, double WarmUpSeconds = 5, double Seconds = 10, int MaxPasses = 1000);
