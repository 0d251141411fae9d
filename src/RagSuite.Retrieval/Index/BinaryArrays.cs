using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RagSuite.Retrieval.Index;

/// <summary>Arrays of numbers written raw, length first, for index checkpoints that load at memory speed.</summary>
internal static class BinaryArrays
{
    public static void Write<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static T[] Read<T>(BinaryReader reader) where T : unmanaged
    {
        var length = reader.ReadInt32();
        var stream = reader.BaseStream;
        if (length < 0 || (long)length * Unsafe.SizeOf<T>() > stream.Length - stream.Position)
        {
            throw new InvalidDataException($"an array of {length} values does not fit in the {stream.Length - stream.Position} bytes left");
        }
        var values = new T[length];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
