using System.Buffers.Binary;
using System.IO.Hashing;
using Google.Protobuf;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// One file of a collection's log, <c>log-NNNNNNNN.seg</c>: a header with a copy of the collection's manifest (so
/// repair can restore a lost <c>collection.json</c>), then <see cref="RecordFrame"/>d document records. Only the
/// newest segment is appended to; older ones are read for the points they still hold.
/// </summary>
internal sealed class LogSegment : IDisposable
{
    private const string Prefix = "log-";
    private const string Suffix = ".seg";
    private static ReadOnlySpan<byte> Magic => "RSSEG001"u8;

    private readonly FileStream _stream;

    private LogSegment(string path, int number, FileStream stream, int headerBytes)
    {
        Path = path;
        Number = number;
        _stream = stream;
        HeaderBytes = headerBytes;
    }

    public string Path { get; }

    public int Number { get; }

    public int HeaderBytes { get; }

    public long Length => _stream.Length;

    public string FileName => System.IO.Path.GetFileName(Path);

    public static string NameOf(int number) => $"{Prefix}{number:D8}{Suffix}";

    /// <summary>The segment numbers present in a directory, in order.</summary>
    public static List<int> Numbers(string directory) =>
        [.. Directory.EnumerateFiles(directory, Prefix + "*" + Suffix)
            .Select(f => System.IO.Path.GetFileName(f)[Prefix.Length..^Suffix.Length])
            .Select(n => int.TryParse(n, out var number) && n.Length == 8 ? number : -1)
            .Where(n => n >= 0).Order()];

    /// <summary>Creates a segment whose header is on disk before it appears under its name.</summary>
    public static LogSegment Create(string directory, int number, Collection manifest)
    {
        var path = System.IO.Path.Combine(directory, NameOf(number));
        AtomicFile.Write(path, stream => stream.Write(Header(manifest)));
        return Open(directory, number);
    }

    public static LogSegment Open(string directory, int number, bool readOnly = false)
    {
        var path = System.IO.Path.Combine(directory, NameOf(number));
        var stream = new FileStream(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.Read, 1);
        try
        {
            var (_, headerBytes) = ReadHeader(stream, System.IO.Path.GetFileName(path));
            stream.Position = stream.Length;
            return new LogSegment(path, number, stream, headerBytes);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The manifest copy a segment's header holds, and the header's length.</summary>
    public static (Collection Manifest, int Bytes) ReadHeader(Stream stream, string name)
    {
        var fixedPart = new byte[Magic.Length + 4];
        stream.Position = 0;
        if (stream.ReadAtLeast(fixedPart, fixedPart.Length, false) < fixedPart.Length || !fixedPart.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new StoreDamageException(name, 0, stream.Length == 0 ? "the file is empty" : "not a RagSuite log segment (bad magic)");
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(Magic.Length));
        if (length < 0 || length > stream.Length - fixedPart.Length - 4) throw new StoreDamageException(name, Magic.Length, "header length out of range");
        var header = new byte[fixedPart.Length + length + 4];
        fixedPart.CopyTo(header, 0);
        stream.ReadExactly(header.AsSpan(fixedPart.Length));
        var body = header.AsSpan(0, header.Length - 4);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(^4)) != Crc32.HashToUInt32(body))
        {
            throw new StoreDamageException(name, 0, "header checksum mismatch");
        }
        try
        {
            return (Collection.Parser.ParseJson(System.Text.Encoding.UTF8.GetString(body[fixedPart.Length..])), header.Length);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new StoreDamageException(name, fixedPart.Length, $"the header's manifest copy cannot be read ({e.Message})");
        }
    }

    private static byte[] Header(Collection manifest)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(manifest));
        var header = new byte[Magic.Length + 4 + json.Length + 4];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Magic.Length), json.Length);
        json.CopyTo(header, Magic.Length + 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(^4), Crc32.HashToUInt32(header.AsSpan(0, header.Length - 4)));
        return header;
    }

    /// <summary>Appends frames and, when syncing, waits until they are on stable storage. A failed append is cut off again.</summary>
    public void Append(ReadOnlySpan<byte> frames, bool sync)
    {
        var before = _stream.Length;
        try
        {
            _stream.Write(frames);
            _stream.Flush(flushToDisk: sync);
        }
        catch
        {
            _stream.SetLength(before);
            _stream.Position = before;
            throw;
        }
    }

    /// <summary>Bytes at an offset, read without moving the append position; safe from many readers at once.</summary>
    public byte[] ReadAt(long offset, int length)
    {
        var bytes = new byte[length];
        RandomAccess.Read(_stream.SafeFileHandle, bytes, offset);
        return bytes;
    }

    /// <summary>Fills <paramref name="into"/> from an offset, as <see cref="ReadAt(long, int)"/> does.</summary>
    public void ReadAt(long offset, Span<byte> into)
    {
        if (RandomAccess.Read(_stream.SafeFileHandle, into, offset) != into.Length) throw new EndOfStreamException($"{FileName} ends before byte {offset + into.Length}");
    }

    /// <summary>Everything after the header, for replay and repair.</summary>
    public byte[] ReadRecords() => ReadAt(HeaderBytes, checked((int)(Length - HeaderBytes)));

    /// <summary>Cuts an unfinished last write off the end.</summary>
    public void Truncate(long length)
    {
        _stream.SetLength(length);
        _stream.Position = length;
        _stream.Flush(flushToDisk: true);
    }

    public void Flush() => _stream.Flush(flushToDisk: true);

    public void Dispose() => _stream.Dispose();
}
