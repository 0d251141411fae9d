namespace RagSuite.Generation.Grounding;

/// <summary>One answer sentence to judge: its text without citation marks, and the sources it cites (or inherits).</summary>
public sealed record JudgedSentence(string Text, IReadOnlyList<int> Cited);
