namespace RagSuite.Models.Store;

/// <summary>Where a pull is: the step under way and the share of the whole pull done (0 to 1).</summary>
public sealed record PullProgress(string Step, double Done);
