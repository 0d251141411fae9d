namespace RagSuite.Generation.Safety;

/// <summary>Text made safe to place inside a source block, and how many characters or markers were
/// removed or replaced to get it (0: the text is returned as it came).</summary>
public sealed record NeutralisedText(string Text, int Changes);
