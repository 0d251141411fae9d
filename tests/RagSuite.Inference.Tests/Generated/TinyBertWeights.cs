namespace RagSuite.Inference.Tests.Generated;

/// <summary>
/// The weights of a small BERT (hidden 32, 4 heads, feed-forward 64, 2 layers, 64 positions, 2 segment types) drawn
/// from a seeded generator. Scales are larger than BERT's 0.02 initialiser so that different texts get clearly
/// different vectors and logits, which makes a 1e-4 comparison mean something. Dense weights are stored
/// [inputs, outputs] row-major, as ONNX MatMul multiplies them.
/// </summary>
internal sealed record TinyBertWeights(
    int VocabularySize,
    float[] WordEmbeddings,
    float[] PositionEmbeddings,
    float[] TokenTypeEmbeddings,
    TinyBertWeights.Norm EmbeddingNorm,
    IReadOnlyList<TinyBertWeights.Layer> Layers,
    TinyBertWeights.Dense? Pooler,
    TinyBertWeights.Dense? Classifier)
{
    public const int Hidden = 32;
    public const int Heads = 4;
    public const int HeadWidth = Hidden / Heads;
    public const int Intermediate = 64;
    public const int Positions = 64;
    public const int TokenTypes = 2;
    public const int LayerCount = 2;
    public const float Epsilon = 1e-12f;

    /// <summary>Weights for a sentence encoder, or with <paramref name="classifier"/> a one-logit cross-encoder head too.</summary>
    public static TinyBertWeights Random(int seed, int vocabularySize, bool classifier)
    {
        var random = new Random(seed);
        float[] Uniform(int count, double scale, double offset = 0) =>
            [.. Enumerable.Range(0, count).Select(_ => (float)(offset + scale * (2 * random.NextDouble() - 1)))];
        Dense NewDense(int inputs, int outputs) => new(Uniform(inputs * outputs, 1.5 * Math.Sqrt(3.0 / inputs)), Uniform(outputs, 0.2), inputs, outputs);
        Norm NewNorm() => new(Uniform(Hidden, 0.3, offset: 1), Uniform(Hidden, 0.2));

        return new TinyBertWeights(
            vocabularySize,
            Uniform(vocabularySize * Hidden, 1),
            Uniform(Positions * Hidden, 0.5),
            Uniform(TokenTypes * Hidden, 0.5),
            NewNorm(),
            [.. Enumerable.Range(0, LayerCount).Select(_ => new Layer(NewDense(Hidden, Hidden), NewDense(Hidden, Hidden), NewDense(Hidden, Hidden),
                NewDense(Hidden, Hidden), NewNorm(), NewDense(Hidden, Intermediate), NewDense(Intermediate, Hidden), NewNorm()))],
            classifier ? NewDense(Hidden, Hidden) : null,
            classifier ? new Dense(Uniform(Hidden, 1), Uniform(1, 0.2), Hidden, 1) : null);
    }

    public sealed record Dense(float[] Weight, float[] Bias, int Inputs, int Outputs);

    public sealed record Norm(float[] Scale, float[] Bias);

    public sealed record Layer(Dense Query, Dense Key, Dense Value, Dense AttentionOutput, Norm AttentionNorm,
        Dense Intermediate, Dense Output, Norm OutputNorm);
}
