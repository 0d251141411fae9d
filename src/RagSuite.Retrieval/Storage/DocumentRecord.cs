using System.Buffers.Binary;
using Google.Protobuf;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// One document write as a log record's payload: the write's own fields, then each point on its own, so a single
/// point can later be read back from its offset without parsing the document around it. A write with no points
/// records the document's deletion.
/// </summary>
internal static class DocumentRecord
{
    /// <summary>The payload, and where each point's bytes start within it.</summary>
    public static (byte[] Payload, int[] PointOffsets) Encode(DocumentWrite write)
    {
        var header = new DocumentWrite { DocumentId = write.DocumentId, ContentHash = write.ContentHash };
        var sizes = write.Points.Select(p => p.CalculateSize()).ToArray();
        var payload = new byte[8 + header.CalculateSize() + sizes.Sum(s => 4 + s)];
        var span = payload.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, sizes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], header.CalculateSize());
        header.WriteTo(span.Slice(8, header.CalculateSize()));
        var offsets = new int[sizes.Length];
        var at = 8 + header.CalculateSize();
        for (var i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], sizes[i]);
            offsets[i] = at + 4;
            write.Points[i].WriteTo(span.Slice(offsets[i], sizes[i]));
            at = offsets[i] + sizes[i];
        }
        return (payload, offsets);
    }

    /// <summary>Reads a payload back; throws <see cref="InvalidDataException"/> when it does not hold one.</summary>
    public static (DocumentWrite Write, int[] PointOffsets, int[] PointLengths) Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(payload);
            var headerLength = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
            if (count < 0 || headerLength < 0 || 8L + headerLength + 4L * count > payload.Length) throw new InvalidDataException("counts out of range");
            var write = DocumentWrite.Parser.ParseFrom(payload.Slice(8, headerLength));
            var offsets = new int[count];
            var lengths = new int[count];
            var at = 8 + headerLength;
            for (var i = 0; i < count; i++)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(payload[at..]);
                if (length < 0 || length > payload.Length - at - 4) throw new InvalidDataException("point length out of range");
                offsets[i] = at + 4;
                lengths[i] = length;
                write.Points.Add(Point.Parser.ParseFrom(payload.Slice(offsets[i], length)));
                at = offsets[i] + length;
            }
            if (at != payload.Length) throw new InvalidDataException("bytes after the last point");
            return (write, offsets, lengths);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException("not a document record", e);
        }
    }
}
