using W = RagSuite.Inference.Tests.Generated.TinyBertWeights;

namespace RagSuite.Inference.Tests.Generated;

/// <summary>
/// The same network as <see cref="TinyBertGraph"/>, computed in plain loops in double precision with no ONNX, one
/// text at a time and so with no padding at all: what the graph run in a padded batch must agree with.
/// </summary>
internal static class TinyBertReference
{
    /// <summary>The final hidden state of every token, [token][hidden].</summary>
    public static double[][] HiddenStates(W weights, IReadOnlyList<long> ids, IReadOnlyList<long> typeIds)
    {
        var tokens = ids.Count;
        var hidden = new double[tokens][];
        for (var t = 0; t < tokens; t++)
        {
            var embedding = new double[W.Hidden];
            for (var h = 0; h < W.Hidden; h++)
            {
                embedding[h] = weights.WordEmbeddings[ids[t] * W.Hidden + h] + weights.PositionEmbeddings[t * W.Hidden + h]
                    + weights.TokenTypeEmbeddings[typeIds[t] * W.Hidden + h];
            }
            hidden[t] = LayerNorm(embedding, weights.EmbeddingNorm);
        }
        foreach (var layer in weights.Layers) hidden = Layer(layer, hidden);
        return hidden;
    }

    /// <summary>The L2-normalised mean of the token states.</summary>
    public static float[] MeanPooled(W weights, IReadOnlyList<long> ids, IReadOnlyList<long> typeIds)
    {
        var hidden = HiddenStates(weights, ids, typeIds);
        var mean = new double[W.Hidden];
        foreach (var state in hidden)
        {
            for (var h = 0; h < W.Hidden; h++) mean[h] += state[h] / hidden.Length;
        }
        return Normalised(mean);
    }

    /// <summary>The L2-normalised state of the first ([CLS]) token.</summary>
    public static float[] ClsPooled(W weights, IReadOnlyList<long> ids, IReadOnlyList<long> typeIds) =>
        Normalised(HiddenStates(weights, ids, typeIds)[0]);

    /// <summary>The cross-encoder's logit: classifier(tanh(pooler([CLS] state))).</summary>
    public static double Logit(W weights, IReadOnlyList<long> ids, IReadOnlyList<long> typeIds)
    {
        var pooler = weights.Pooler ?? throw new InvalidOperationException("These weights have no classifier head.");
        var classifier = weights.Classifier ?? throw new InvalidOperationException("These weights have no classifier head.");
        var pooled = Dense(HiddenStates(weights, ids, typeIds)[0], pooler).Select(Math.Tanh).ToArray();
        return Dense(pooled, classifier)[0];
    }

    /// <summary>GELU as BERT defines it, x · ½ · (1 + erf(x / √2)).</summary>
    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>
    /// erf to about 1e-15: its Maclaurin series below 2, where cancellation is mild, and above it 1 − erfc by the
    /// continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated from its tail.
    /// </summary>
    public static double Erf(double x)
    {
        if (x < 0) return -Erf(-x);
        if (x < 2)
        {
            double sum = 0, term = x;
            for (var n = 0; Math.Abs(term) > 1e-17; n++)
            {
                sum += term / (2 * n + 1);
                term *= -x * x / (n + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        var fraction = x;
        for (var k = 80; k >= 1; k--) fraction = x + k / 2.0 / fraction;
        return 1 - Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * fraction);
    }

    private static double[][] Layer(W.Layer layer, double[][] input)
    {
        var tokens = input.Length;
        var queries = input.Select(x => Dense(x, layer.Query)).ToArray();
        var keys = input.Select(x => Dense(x, layer.Key)).ToArray();
        var values = input.Select(x => Dense(x, layer.Value)).ToArray();
        var context = new double[tokens][];
        for (var t = 0; t < tokens; t++)
        {
            context[t] = new double[W.Hidden];
            for (var head = 0; head < W.Heads; head++)
            {
                var offset = head * W.HeadWidth;
                var scores = new double[tokens];
                for (var s = 0; s < tokens; s++)
                {
                    for (var d = 0; d < W.HeadWidth; d++) scores[s] += queries[t][offset + d] * keys[s][offset + d];
                    scores[s] /= Math.Sqrt(W.HeadWidth);
                }
                var weights = Softmax(scores);
                for (var s = 0; s < tokens; s++)
                {
                    for (var d = 0; d < W.HeadWidth; d++) context[t][offset + d] += weights[s] * values[s][offset + d];
                }
            }
        }
        var output = new double[tokens][];
        for (var t = 0; t < tokens; t++)
        {
            var attended = LayerNorm(Add(Dense(context[t], layer.AttentionOutput), input[t]), layer.AttentionNorm);
            var expanded = Dense(attended, layer.Intermediate).Select(Gelu).ToArray();
            output[t] = LayerNorm(Add(Dense(expanded, layer.Output), attended), layer.OutputNorm);
        }
        return output;
    }

    private static double[] Dense(double[] input, W.Dense dense)
    {
        var output = new double[dense.Outputs];
        for (var o = 0; o < dense.Outputs; o++)
        {
            double sum = dense.Bias[o];
            for (var i = 0; i < dense.Inputs; i++) sum += input[i] * dense.Weight[i * dense.Outputs + o];
            output[o] = sum;
        }
        return output;
    }

    private static double[] LayerNorm(double[] x, W.Norm norm)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var scale = 1 / Math.Sqrt(variance + W.Epsilon);
        return [.. x.Select((v, h) => (v - mean) * scale * norm.Scale[h] + norm.Bias[h])];
    }

    private static double[] Softmax(double[] scores)
    {
        var max = scores.Max();
        var exponentials = scores.Select(s => Math.Exp(s - max)).ToArray();
        var total = exponentials.Sum();
        return [.. exponentials.Select(e => e / total)];
    }

    private static double[] Add(double[] a, double[] b) => [.. a.Select((v, i) => v + b[i])];

    private static float[] Normalised(double[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => (float)(v / norm))];
    }
}
