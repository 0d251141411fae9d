using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// One term's postings, compressed: slots in ascending order as variable-length deltas, each followed by its term
/// frequency (a whole count as a variable-length integer, anything else escaped as a raw float), in blocks of
/// <see cref="BlockSize"/>. Each block records its last slot, so a reader skips to a slot without decoding the blocks
/// before it, and its largest frequency and shortest point length, which bound every BM25 contribution in the block
/// whatever the collection statistics are (the contribution grows with the frequency and shrinks with the length);
/// the list keeps the same two bounds over all its postings. Slots are only ever appended in increasing order;
/// removed points stay until the list is compacted.
/// </summary>
internal sealed class PostingList
{
    public const int BlockSize = 128;

    /// <summary>Removed postings a list tolerates before it is compacted, at least (and at least as many as live ones).</summary>
    private const int MinCompaction = 64;

    /// <summary>Whole frequencies up to this are stored as integers; larger or fractional ones as raw floats.</summary>
    private const float MaxWholeFrequency = 1 << 24;

    private byte[] _bytes = new byte[8];
    private int _byteCount;
    private Block[] _blocks = new Block[1];

    /// <summary>Postings held, removed ones included until compaction.</summary>
    public int Count { get; private set; }

    /// <summary>Postings of live points: the term's document frequency.</summary>
    public int Live { get; private set; }

    public float MaxFrequency { get; private set; }

    public float MinLength { get; private set; } = float.MaxValue;

    public int Blocks => (Count + BlockSize - 1) / BlockSize;

    /// <summary>Bytes the postings take, block headers included (for memory accounting and tests).</summary>
    public long Bytes => _byteCount + (long)Blocks * Marshal.SizeOf<Block>();

    public int LastSlot(int block) => _blocks[block].Last;

    public float BlockMaxFrequency(int block) => _blocks[block].MaxFrequency;

    public float BlockMinLength(int block) => _blocks[block].MinLength;

    public void Append(int slot, float frequency, float length)
    {
        var previous = Count == 0 ? -1 : _blocks[Blocks - 1].Last;
        if (slot <= previous) throw new InvalidOperationException($"Slot {slot} is not after {previous}.");
        var index = Count / BlockSize;
        if (Count % BlockSize == 0)
        {
            if (index == _blocks.Length) Array.Resize(ref _blocks, _blocks.Length * 2);
            _blocks[index] = new Block(slot, _byteCount, 0, float.MaxValue);
        }
        ref var block = ref _blocks[index];
        EnsureBytes(5 + 5 + 4);
        WriteVarint((uint)(slot - previous));
        if (frequency is >= 1 and <= MaxWholeFrequency && frequency == MathF.Floor(frequency))
        {
            WriteVarint((uint)frequency);
        }
        else
        {
            WriteVarint(0);
            BinaryPrimitives.WriteSingleLittleEndian(_bytes.AsSpan(_byteCount), frequency);
            _byteCount += 4;
        }
        block = block with { Last = slot, MaxFrequency = Math.Max(block.MaxFrequency, frequency), MinLength = Math.Min(block.MinLength, length) };
        Count++;
        Live++;
        MaxFrequency = Math.Max(MaxFrequency, frequency);
        MinLength = Math.Min(MinLength, length);
    }

    /// <summary>Decodes one block into <paramref name="slots"/> and <paramref name="frequencies"/> (each at least <see cref="BlockSize"/> long); returns how many postings it holds.</summary>
    public int Decode(int block, Span<int> slots, Span<float> frequencies)
    {
        var bytes = _bytes;
        var position = _blocks[block].Start;
        var end = block + 1 < Blocks ? _blocks[block + 1].Start : _byteCount;
        var slot = block == 0 ? -1 : _blocks[block - 1].Last;
        var n = 0;
        while (position < end)
        {
            slot += (int)ReadVarint(bytes, ref position);
            var whole = ReadVarint(bytes, ref position);
            if (whole != 0)
            {
                frequencies[n] = whole;
            }
            else
            {
                frequencies[n] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(position));
                position += 4;
            }
            slots[n++] = slot;
        }
        return n;
    }

    /// <summary>Counts one posting as removed; once most are, drops the removed ones and recomputes the bounds.</summary>
    public void Removed(Func<int, bool> isLive, Func<int, float> length)
    {
        Live--;
        if (Count - Live <= Math.Max(Live, MinCompaction)) return;
        var (slots, frequencies) = Postings();
        Clear();
        for (var i = 0; i < slots.Length; i++)
        {
            if (isLive(slots[i])) Append(slots[i], frequencies[i], length(slots[i]));
        }
    }

    /// <summary>Moves the postings to new slots (in the same order; -1 for removed points), dropping removed ones.</summary>
    public void Renumber(int[] renumbered, float[] lengths)
    {
        var (slots, frequencies) = Postings();
        Clear();
        for (var i = 0; i < slots.Length; i++)
        {
            if (renumbered[slots[i]] is var slot and >= 0) Append(slot, frequencies[i], lengths[slot]);
        }
        TrimExcess();
    }

    /// <summary>Every posting, decoded (for compaction and renumbering, which rebuild the list).</summary>
    public (int[] Slots, float[] Frequencies) Postings()
    {
        var slots = new int[Blocks * BlockSize];
        var frequencies = new float[slots.Length];
        var n = 0;
        for (var block = 0; block < Blocks; block++) n += Decode(block, slots.AsSpan(n), frequencies.AsSpan(n));
        return (slots[..n], frequencies[..n]);
    }

    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(Live);
        writer.Write(MaxFrequency);
        writer.Write(MinLength);
        BinaryArrays.Write<byte>(writer, _bytes.AsSpan(0, _byteCount));
        BinaryArrays.Write<Block>(writer, _blocks.AsSpan(0, Blocks));
    }

    public static PostingList ReadFrom(BinaryReader reader)
    {
        var list = new PostingList { Count = reader.ReadInt32(), Live = reader.ReadInt32(), MaxFrequency = reader.ReadSingle(), MinLength = reader.ReadSingle() };
        list._bytes = BinaryArrays.Read<byte>(reader);
        list._byteCount = list._bytes.Length;
        list._blocks = BinaryArrays.Read<Block>(reader);
        if (list.Count < 0 || list.Live < 0 || list.Live > list.Count || list._blocks.Length != list.Blocks) throw new InvalidDataException("a posting list's counts disagree");
        for (var block = 0; block < list._blocks.Length; block++)
        {
            var end = block + 1 < list._blocks.Length ? list._blocks[block + 1].Start : list._byteCount;
            if (list._blocks[block].Start < 0 || list._blocks[block].Start >= end || (block > 0 && list._blocks[block].Last <= list._blocks[block - 1].Last))
            {
                throw new InvalidDataException("a posting list's blocks are out of order");
            }
        }
        if (list._blocks.Length == 0) list._blocks = new Block[1];
        if (list._bytes.Length == 0) list._bytes = new byte[8];
        return list;
    }

    private void Clear()
    {
        _byteCount = 0;
        Count = Live = 0;
        MaxFrequency = 0;
        MinLength = float.MaxValue;
    }

    private void TrimExcess()
    {
        if (_bytes.Length > _byteCount + 8) Array.Resize(ref _bytes, Math.Max(8, _byteCount));
        if (_blocks.Length > Blocks) Array.Resize(ref _blocks, Math.Max(1, Blocks));
    }

    private void EnsureBytes(int more)
    {
        if (_byteCount + more > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_byteCount + more, _bytes.Length * 2));
    }

    private void WriteVarint(uint value)
    {
        while (value >= 0x80)
        {
            _bytes[_byteCount++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _bytes[_byteCount++] = (byte)value;
    }

    private static uint ReadVarint(byte[] bytes, ref int position)
    {
        uint value = bytes[position++];
        if (value < 0x80) return value;
        value &= 0x7F;
        for (var shift = 7; ; shift += 7)
        {
            uint next = bytes[position++];
            value |= (next & 0x7F) << shift;
            if (next < 0x80) return value;
        }
    }

    /// <summary>A block's header: its last slot, where its bytes start, and the bounds of its postings.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Block(int Last, int Start, float MaxFrequency, float MinLength);
}
