using System.Buffers.Binary;
using System.IO.Hashing;
using Google.Protobuf;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// An append-only log of writes to one collection. Each record is a length, a CRC-32 and an
/// <see cref="UpsertDocumentsRequest"/> (a document with no points records its deletion). A write is
/// acknowledged only after its record is on disk; at start-up a torn or corrupt tail, which no
/// caller was ever told succeeded, is cut off.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    private const int HeaderBytes = 8;
    private const int MaxRecordBytes = 1 << 30;
    private static ReadOnlySpan<byte> Magic => "RSWAL001"u8;

    private readonly FileStream _stream;
    private readonly bool _sync;

    private WriteAheadLog(FileStream stream, bool sync)
    {
        _stream = stream;
        _sync = sync;
    }

    public long Length => _stream.Length;

    /// <summary>Opens (or creates) the log and returns the records it holds.</summary>
    public static (WriteAheadLog Log, List<UpsertDocumentsRequest> Records, long DiscardedBytes) Open(string path, bool sync)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            var (records, validLength) = ReadRecords(stream);
            var discarded = stream.Length - validLength;
            if (validLength < Magic.Length)
            {
                stream.SetLength(0);
                stream.Write(Magic);
                validLength = Magic.Length;
            }
            else if (discarded > 0)
            {
                stream.SetLength(validLength);
            }
            stream.Flush(flushToDisk: true);
            stream.Position = validLength;
            return (new WriteAheadLog(stream, sync), records, Math.Max(0, discarded));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one record and, when syncing, waits until it is on stable storage.</summary>
    public void Append(UpsertDocumentsRequest record)
    {
        var size = record.CalculateSize();
        var buffer = new byte[HeaderBytes + size];
        record.WriteTo(buffer.AsSpan(HeaderBytes));
        BinaryPrimitives.WriteInt32LittleEndian(buffer, size);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), Crc32.HashToUInt32(buffer.AsSpan(HeaderBytes)));

        var before = _stream.Length;
        try
        {
            _stream.Write(buffer);
            _stream.Flush(flushToDisk: _sync);
        }
        catch
        {
            // A half-written record must not sit in front of later ones: cut it off before failing.
            _stream.SetLength(before);
            _stream.Position = before;
            throw;
        }
    }

    /// <summary>Empties the log once a snapshot holds everything in it.</summary>
    public void Reset()
    {
        _stream.SetLength(Magic.Length);
        _stream.Position = Magic.Length;
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();

    private static (List<UpsertDocumentsRequest> Records, long ValidLength) ReadRecords(FileStream stream)
    {
        var records = new List<UpsertDocumentsRequest>();
        stream.Position = 0;
        Span<byte> magic = stackalloc byte[Magic.Length];
        if (stream.Length < Magic.Length || stream.ReadAtLeast(magic, magic.Length, false) < magic.Length || !magic.SequenceEqual(Magic))
        {
            if (stream.Length > 0) throw new InvalidDataException($"'{stream.Name}' is not a RagSuite write-ahead log.");
            return (records, 0);
        }

        var valid = stream.Position;
        Span<byte> header = stackalloc byte[HeaderBytes];
        while (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) == HeaderBytes)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (size < 0 || size > MaxRecordBytes || size > stream.Length - stream.Position) break;
            var payload = new byte[size];
            stream.ReadExactly(payload);
            if (Crc32.HashToUInt32(payload) != crc) break;
            records.Add(UpsertDocumentsRequest.Parser.ParseFrom(payload));
            valid = stream.Position;
        }
        return (records, valid);
    }
}
