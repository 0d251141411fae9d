namespace RagSuite.Inference.Encoders;

/// <summary>One text's vector, the tokens the model saw, and whether the text was cut to fit.</summary>
public sealed record EncodedText(float[] Vector, int Tokens, bool Truncated);
