using System.Security.Cryptography;
using System.Text;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// What the key file holds for a key: the SHA-256 of its UTF-8 bytes, as lower-case hex — what
/// <c>printf %s "$KEY" | sha256sum</c> prints. A key is long and random, so a fast unsalted hash is enough; the file
/// then grants nothing to whoever reads it.
/// </summary>
public static class ApiKeyHash
{
    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string Hex(string key) => Convert.ToHexStringLower(Of(key));

    /// <summary>A new key: 32 random bytes, URL-safe base64 with a recognisable prefix (so secret scanners can find a leaked one).</summary>
    public static string NewKey() =>
        "rsk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
