namespace RagSuite.Bench.Peers.Data;

/// <summary>
/// A cache of vectors on disk: int32 count, int32 dimension, then count × dimension float32, all little-endian,
/// row after row. Embedding a corpus takes minutes; reading it back, a second.
/// </summary>
public static class VectorFile
{
    public static void Write(string path, VectorSet vectors)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(vectors.Count);
        writer.Write(vectors.Dimension);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors.Data.AsSpan()));
    }

    public static VectorSet Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var count = reader.ReadInt32();
        var dimension = reader.ReadInt32();
        if (count < 0 || dimension < 1 || stream.Length != 8 + 4L * count * dimension)
        {
            throw new InvalidDataException($"'{path}' is not a vector file: its header says {count} × {dimension} floats but it holds {stream.Length} bytes.");
        }
        var data = new float[count * dimension];
        stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        return new VectorSet(count, dimension, data);
    }
}
