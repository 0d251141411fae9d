using System.Security.Cryptography;
using System.Text;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// The quoted table names of one collection. Collection names may differ only in case or hold '-' and '.', which
/// PostgreSQL identifiers fold or refuse, so the tables are named by a hash of the name: fixed length, lower-case hex,
/// well under the 63-byte identifier limit.
/// </summary>
internal sealed record PgvectorTables(string Points, string Postings, string DenseIndex)
{
    public static PgvectorTables For(string collection)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(collection)))[..24];
        return new PgvectorTables($"\"rs_{key}_points\"", $"\"rs_{key}_postings\"", $"\"rs_{key}_dense\"");
    }
}
