using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// Fixed-width rows (a node's vector, its links) in pages of about a mebibyte. Growing adds a page instead of copying
/// everything into an array twice the size, so a large index never holds two copies of its vectors while it grows, and
/// holds at most one page it does not use.
/// </summary>
internal sealed class RowPages<T> where T : unmanaged
{
    private const int PageBytes = 1 << 20;

    private readonly int _width;
    private readonly int _shift;
    private readonly int _mask;
    private T[][] _pages = [];

    public RowPages(int width)
    {
        _width = width;
        var rowsPerPage = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, PageBytes / (width * Unsafe.SizeOf<T>())));
        _shift = BitOperations.Log2((uint)rowsPerPage);
        _mask = rowsPerPage - 1;
    }

    public int Capacity => _pages.Length << _shift;

    public Span<T> this[int row] => _pages[row >> _shift].AsSpan((row & _mask) * _width, _width);

    /// <summary>Adds pages until <paramref name="rows"/> rows fit.</summary>
    public void Grow(int rows)
    {
        if (rows <= Capacity) return;
        var pages = _pages.Length;
        Array.Resize(ref _pages, (rows + _mask) >> _shift);
        for (var page = pages; page < _pages.Length; page++) _pages[page] = new T[(_mask + 1) * _width];
    }

    /// <summary>The first <paramref name="rows"/> rows, in the layout <see cref="BinaryArrays"/> writes one array in.</summary>
    public void WriteTo(BinaryWriter writer, int rows)
    {
        writer.Write(rows * _width);
        for (var row = 0; row < rows; row += _mask + 1)
        {
            writer.Write(MemoryMarshal.AsBytes(_pages[row >> _shift].AsSpan(0, Math.Min(_mask + 1, rows - row) * _width)));
        }
    }

    public static RowPages<T> ReadFrom(BinaryReader reader, int width, int rows)
    {
        var length = reader.ReadInt32();
        if (length != rows * width) throw new InvalidDataException($"{length} values where {rows} rows of {width} belong");
        var stream = reader.BaseStream;
        if ((long)length * Unsafe.SizeOf<T>() > stream.Length - stream.Position) throw new InvalidDataException($"{rows} rows do not fit in the bytes left");
        var pages = new RowPages<T>(width);
        pages.Grow(rows);
        for (var row = 0; row < rows; row += pages._mask + 1)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(pages._pages[row >> pages._shift].AsSpan(0, Math.Min(pages._mask + 1, rows - row) * width)));
        }
        return pages;
    }
}
