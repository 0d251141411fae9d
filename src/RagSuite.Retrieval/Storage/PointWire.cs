using System.Buffers.Binary;
using Google.Protobuf;
using RagSuite.Contracts.V1;

namespace RagSuite.Retrieval.Storage;

/// <summary>
/// Finds a point's dense vector in the point's protobuf bytes without parsing the rest of it: the fields before it are
/// stepped over by their lengths, and a packed float field is already little-endian floats. An int8 index rescores
/// candidates this way, dozens per query, so text and metadata are never decoded for it.
/// </summary>
internal static class PointWire
{
    private static readonly uint DenseTag = WireFormat.MakeTag(Point.DenseFieldNumber, WireFormat.WireType.LengthDelimited);

    /// <summary>Copies the packed dense field into <paramref name="destination"/>; false when the bytes hold no packed field of that length.</summary>
    public static bool TryReadDense(ReadOnlySpan<byte> point, Span<float> destination)
    {
        var at = 0;
        while (at < point.Length)
        {
            if (!TryVarint(point, ref at, out var tag)) return false;
            switch (WireFormat.GetTagWireType((uint)tag))
            {
                case WireFormat.WireType.Varint:
                    if (!TryVarint(point, ref at, out _)) return false;
                    break;
                case WireFormat.WireType.Fixed64:
                    at += 8;
                    break;
                case WireFormat.WireType.Fixed32:
                    at += 4;
                    break;
                case WireFormat.WireType.LengthDelimited:
                    if (!TryVarint(point, ref at, out var length) || length > (ulong)(point.Length - at)) return false;
                    if (tag == DenseTag)
                    {
                        if ((int)length != destination.Length * sizeof(float)) return false;
                        var bytes = point.Slice(at, (int)length);
                        for (var i = 0; i < destination.Length; i++) destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
                        return true;
                    }
                    at += (int)length;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && at < bytes.Length; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }
}
