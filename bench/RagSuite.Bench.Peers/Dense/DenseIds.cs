namespace RagSuite.Bench.Peers.Dense;

/// <summary>Every engine stores vector row r under the same id, so their answers compare directly.</summary>
public static class DenseIds
{
    public static string Of(int row) => $"v{row}";
}
