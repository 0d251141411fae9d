using System.Security.Cryptography;
using System.Text;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// Qdrant point ids must be unsigned integers or UUIDs, ours are free strings: each is mapped to a name-based UUID
/// (RFC 9562 version 8: SHA-256 of a fixed namespace and the UTF-8 id, as version 5 does with SHA-1), so the same id
/// always lands on the same Qdrant point and upserts stay idempotent. Our id travels in the payload as <c>point_id</c>.
/// </summary>
internal static class QdrantPointIds
{
    private static readonly byte[] Namespace = Guid.Parse("6f1d3c52-8a4e-4b7e-9b1a-2f0c7d9e4a11").ToByteArray(bigEndian: true);

    public static Guid For(string id)
    {
        var name = Encoding.UTF8.GetBytes(id);
        var input = new byte[Namespace.Length + name.Length];
        Namespace.CopyTo(input, 0);
        name.CopyTo(input, Namespace.Length);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(bytes, bigEndian: true);
    }
}
