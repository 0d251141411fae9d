using System.Buffers.Binary;
using System.IO.Hashing;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// <c>index.bin</c>: a collection's in-memory index as of a place in its log, so a restart loads it and replays only
/// the log after that place. It is a cache of what the log holds: a magic, the log position, the index, and an
/// XxHash64 of all of that, which is checked before anything is read.
/// </summary>
internal static class IndexCheckpoint
{
    public const string FileName = "index.bin";
    private const int HashBytes = 8;
    private static ReadOnlySpan<byte> Magic => "RSIDX003"u8;

    /// <summary>
    /// The magics of formats earlier versions wrote (001: uncompressed postings; 002: int8 graphs with their floats too):
    /// checkpoints to rebuild, not damage.
    /// </summary>
    private static readonly byte[][] OutdatedMagics = ["RSIDX001"u8.ToArray(), "RSIDX002"u8.ToArray()];

    /// <summary>
    /// Writes the index to a temporary file. The caller holds the collection's read lock meanwhile; sealing (hash,
    /// fsync, rename) happens after it lets go, so writers wait only for the copy into the page cache.
    /// </summary>
    public static string WriteUnsealed(string directory, LogPosition position, CollectionIndex index)
    {
        var temporary = Path.Combine(directory, FileName + AtomicFile.TemporarySuffix);
        using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(position.Segment);
        writer.Write(position.Offset);
        index.WriteTo(writer);
        return temporary;
    }

    /// <summary>Appends the hash, flushes the file to disk and puts it in place of the previous checkpoint.</summary>
    public static void Seal(string temporary)
    {
        var hash = new XxHash64();
        using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 20))
        {
            hash.Append(stream);
            Span<byte> digest = stackalloc byte[HashBytes];
            hash.GetCurrentHash(digest);
            stream.Write(digest);
            stream.Flush(flushToDisk: true);
        }
        var path = temporary[..^AtomicFile.TemporarySuffix.Length];
        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
    }

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>
    /// The checkpoint's index and log position; null when an earlier version wrote it, in a format this one no longer
    /// reads; <see cref="StoreDamageException"/> when the file is not intact.
    /// </summary>
    public static (CollectionIndex Index, LogPosition Position)? Read(string directory, CollectionConfig config, IPointSource source)
    {
        var path = Path.Combine(directory, FileName);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        if (stream.Length < Magic.Length + 12 + HashBytes) throw new StoreDamageException(FileName, stream.Length, "the file is too short to be an index checkpoint");
        var bodyLength = stream.Length - HashBytes;
        var hash = new XxHash64();
        var buffer = new byte[1 << 20];
        for (long read = 0; read < bodyLength;)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, bodyLength - read));
            hash.Append(buffer.AsSpan(0, n));
            read += n;
        }
        Span<byte> stored = stackalloc byte[HashBytes];
        stream.ReadExactly(stored);
        if (hash.GetCurrentHashAsUInt64() != BinaryPrimitives.ReadUInt64BigEndian(stored))
        {
            throw new StoreDamageException(FileName, 0, "checksum mismatch: the file is not as it was written");
        }
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        try
        {
            var magic = reader.ReadBytes(Magic.Length).AsSpan();
            foreach (var outdated in OutdatedMagics)
            {
                if (magic.SequenceEqual(outdated)) return null;
            }
            if (!magic.SequenceEqual(Magic)) throw new InvalidDataException("not a RagSuite index checkpoint (bad magic)");
            var position = new LogPosition(reader.ReadInt32(), reader.ReadInt64());
            var index = CollectionIndex.ReadFrom(reader, config.DenseDimension, config.Bm25, source, config.DenseIndex, config.DenseDistance);
            if (reader.BaseStream.Position != bodyLength) throw new InvalidDataException("bytes left after the index");
            return (index, position);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new StoreDamageException(FileName, stream.Position, e.Message);
        }
    }
}
