using System.IO.Hashing;
using System.Text;

namespace RagSuite.Core.Text;

/// <summary>
/// Maps a lower-cased word to the 32-bit index it has in sparse vectors. A stable hash, not a
/// vocabulary, so the embedder stays stateless and every replica agrees. With 2^32 buckets a
/// 100,000-word vocabulary expects about one colliding pair of words.
/// </summary>
public static class TermHasher
{
    public static uint Hash(string term)
    {
        Span<byte> buffer = stackalloc byte[256];
        var byteCount = Encoding.UTF8.GetByteCount(term);
        var bytes = byteCount <= buffer.Length ? buffer[..byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(term, bytes);
        return XxHash32.HashToUInt32(bytes);
    }
}
