namespace RagSuite.Models.Store;

/// <summary>Where a pull or a quantisation is: the step under way and the share of the whole job done (0 to 1).</summary>
public sealed record PullProgress(string Step, double Done);
