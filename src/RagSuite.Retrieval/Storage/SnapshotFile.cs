using Google.Protobuf;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// Every document of a collection at one moment, as length-delimited <see cref="DocumentWrite"/>
/// messages after a magic header. Written atomically, so it is either the old snapshot or the new one.
/// </summary>
internal static class SnapshotFile
{
    private static ReadOnlySpan<byte> Magic => "RSSNAP01"u8;

    public static void Write(string path, IEnumerable<DocumentWrite> documents) =>
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            foreach (var document in documents)
            {
                document.WriteDelimitedTo(stream);
            }
        });

    public static IEnumerable<DocumentWrite> Read(string path)
    {
        if (!File.Exists(path)) yield break;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var magic = new byte[Magic.Length];
        if (stream.ReadAtLeast(magic, magic.Length, false) < magic.Length || !magic.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a RagSuite snapshot.");
        }
        while (stream.Position < stream.Length)
        {
            yield return DocumentWrite.Parser.ParseDelimitedFrom(stream);
        }
    }
}
