using System.Buffers.Binary;
using System.IO.Hashing;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// How one record sits in a log segment: a marker, the payload's length, the payload's CRC-32, a CRC-32 of those
/// twelve bytes, then the payload. The header's own checksum means a damaged length is never mistaken for a torn
/// write, and the marker lets repair find the next intact record after damage.
/// </summary>
internal static class RecordFrame
{
    public const int HeaderBytes = 16;
    public const int MaxPayloadBytes = 1 << 30;
    private const uint Marker = 0x4B525352; // "RSRK"

    public static int Size(int payloadBytes) => HeaderBytes + payloadBytes;

    /// <summary>Writes the header for <paramref name="payload"/>, which already sits right after it in <paramref name="frame"/>.</summary>
    public static void WriteHeader(Span<byte> frame, int payloadBytes)
    {
        var payload = frame.Slice(HeaderBytes, payloadBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(frame, Marker);
        BinaryPrimitives.WriteInt32LittleEndian(frame[4..], payloadBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[8..], Crc32.HashToUInt32(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(frame[12..], Crc32.HashToUInt32(frame[..12]));
    }

    /// <summary>Reads the frame at the start of <paramref name="bytes"/> (the rest of the file from there).</summary>
    public static FrameRead Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes) return new(FrameStatus.Incomplete, 0, "the file ends inside a record header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Marker) return new(FrameStatus.Damaged, 0, "no record marker where a record should start");
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]) != Crc32.HashToUInt32(bytes[..12])) return new(FrameStatus.Damaged, 0, "record header checksum mismatch");
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (length < 0 || length > MaxPayloadBytes) return new(FrameStatus.Damaged, 0, $"record length {length} is out of range");
        if (bytes.Length - HeaderBytes < length) return new(FrameStatus.Incomplete, length, "the file ends inside a record");
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) != Crc32.HashToUInt32(bytes.Slice(HeaderBytes, length)))
        {
            return new(FrameStatus.Damaged, length, "record checksum mismatch");
        }
        return new(FrameStatus.Intact, length, null);
    }

    /// <summary>The offset of the next intact frame at or after <paramref name="from"/>, or -1: where repair resumes after damage.</summary>
    public static int FindNextIntact(ReadOnlySpan<byte> bytes, int from)
    {
        Span<byte> marker = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(marker, Marker);
        for (var at = from; at < bytes.Length;)
        {
            var found = bytes[at..].IndexOf(marker);
            if (found < 0) return -1;
            at += found;
            if (Read(bytes[at..]).Status == FrameStatus.Intact) return at;
            at++;
        }
        return -1;
    }
}

internal enum FrameStatus
{
    Intact,
    /// <summary>The file ends before the frame does: the unfinished last write of a crash.</summary>
    Incomplete,
    Damaged,
}

internal readonly record struct FrameRead(FrameStatus Status, int PayloadBytes, string? Problem);
