using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using RagSuite.Contracts.V1;

namespace RagSuite.Gateway.Ingestion;

/// <summary>
/// The fingerprint that makes ingestion idempotent: a SHA-256 over everything that decides a
/// document's stored points (text, title, source, metadata, chunking and the models whose vectors the collection holds).
/// Re-sending an unchanged document is skipped; changing any of these re-ingests it.
/// </summary>
public static class ContentHash
{
    public static string Of(SourceDocument document, CollectionConfig config, EmbedderInfo embedder)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[]
        {
            ChunkPlanner.Version, document.Text, document.Title ?? "\0", document.Source ?? "\0",
            JsonFormatter.Default.Format(document.Metadata), config.Chunking.ToString(),
            config.DenseModel, embedder.SparseModel,
        })
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
