namespace RagSuite.Bench.Peers.Data;

/// <summary>
/// Synthetic vectors with the structure real embeddings have: random unit centres, each point a centre plus Gaussian
/// noise (sigma per dimension), normalised. Queries come from the same centres with their own noise, so each has
/// true near neighbours. The same seed always gives the same vectors.
/// </summary>
public static class ClusteredVectors
{
    public static (VectorSet Documents, VectorSet Queries) Generate(int documents, int queries, int dimension, int centres, double sigma, int seed)
    {
        var random = new Random(seed);
        var centreSet = new VectorSet(centres, dimension, Fill(centres * dimension, random, 1.0)).Normalised();
        return (Around(centreSet, documents, sigma, new Random(seed + 1)), Around(centreSet, queries, sigma, new Random(seed + 2)));
    }

    private static VectorSet Around(VectorSet centres, int count, double sigma, Random random)
    {
        var dimension = centres.Dimension;
        var data = new float[count * dimension];
        for (var row = 0; row < count; row++)
        {
            var centre = centres[random.Next(centres.Count)];
            for (var d = 0; d < dimension; d++) data[row * dimension + d] = (float)(centre[d] + sigma * Gaussian(random));
        }
        return new VectorSet(count, dimension, data).Normalised();
    }

    private static float[] Fill(int length, Random random, double sigma)
    {
        var data = new float[length];
        for (var i = 0; i < length; i++) data[i] = (float)(sigma * Gaussian(random));
        return data;
    }

    /// <summary>A standard normal sample (Box–Muller).</summary>
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
