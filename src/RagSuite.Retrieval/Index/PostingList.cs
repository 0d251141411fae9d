using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// One term's postings, compressed in blocks of <see cref="BlockSize"/>: each slot is stored as its distance from the
/// slot before it (delta encoding) and each frequency as a whole count, both in the fewest bytes the block needs, or
/// the frequencies as raw floats when some are not whole. Fixed widths within a block let a block decode in a tight
/// loop. Each block records its first and last slot, so a reader skips to a slot without reading the blocks before it,
/// and its largest frequency and shortest point length, which bound every BM25 contribution in the block whatever the
/// collection statistics are (the contribution grows with the frequency and shrinks with the length); the list keeps
/// the same two bounds over all its postings. Slots are only ever appended in increasing order; removed points stay
/// until the list is compacted.
/// </summary>
internal sealed class PostingList
{
    public const int BlockSize = 128;

    /// <summary>Removed postings a list tolerates before it is compacted, at least (and at least as many as live ones).</summary>
    private const int MinCompaction = 64;

    /// <summary>Frequency width that means raw floats rather than whole counts.</summary>
    private const int RawFloat = 4;

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
    public long Bytes => _byteCount + (long)Blocks * Unsafe.SizeOf<Block>();

    public int LastSlot(int block) => _blocks[block].Last;

    /// <summary>Where a block's postings lie in <see cref="Encoded"/>, for readers that walk it without decoding all of it.</summary>
    public (int First, int Start, int DeltaWidth, int FrequencyWidth) Layout(int block)
    {
        var header = _blocks[block];
        return (header.First, header.Start, header.DeltaWidth, header.FrequencyWidth);
    }

    /// <summary>The encoded postings (valid until the next append).</summary>
    public byte[] Encoded => _bytes;

    /// <summary>A frequency as encoded: a whole count of the given width, or a raw float.</summary>
    public static float ReadFrequency(ReadOnlySpan<byte> bytes, int width) =>
        width == RawFloat ? BinaryPrimitives.ReadSingleLittleEndian(bytes) : ReadWhole(bytes, width);

    public float BlockMaxFrequency(int block) => _blocks[block].MaxFrequency;

    public float BlockMinLength(int block) => _blocks[block].MinLength;

    public void Append(int slot, float frequency, float length)
    {
        var previous = Count == 0 ? -1 : _blocks[Blocks - 1].Last;
        if (slot <= previous) throw new InvalidOperationException($"Slot {slot} is not after {previous}.");
        var index = Count / BlockSize;
        var held = Count % BlockSize;
        if (held == 0)
        {
            if (index == _blocks.Length) Array.Resize(ref _blocks, _blocks.Length * 2);
            _blocks[index] = new Block(slot, slot, _byteCount, 0, float.MaxValue, 1, 1);
        }
        ref var block = ref _blocks[index];
        var delta = (uint)(slot - block.Last);
        var deltaWidth = Math.Max(block.DeltaWidth, WidthOf(delta));
        var frequencyWidth = Math.Max(block.FrequencyWidth, FrequencyWidthOf(frequency));
        if (deltaWidth != block.DeltaWidth || frequencyWidth != block.FrequencyWidth) Widen(ref block, held, deltaWidth, frequencyWidth);
        EnsureBytes(block.Stride);
        Write(block, delta, frequency);
        block = block with { Last = slot, MaxFrequency = Math.Max(block.MaxFrequency, frequency), MinLength = Math.Min(block.MinLength, length) };
        Count++;
        Live++;
        MaxFrequency = Math.Max(MaxFrequency, frequency);
        MinLength = Math.Min(MinLength, length);
    }

    /// <summary>Decodes one block into <paramref name="slots"/> and <paramref name="frequencies"/> (each at least <see cref="BlockSize"/> long); returns how many postings it holds.</summary>
    public int Decode(int block, Span<int> slots, Span<float> frequencies)
    {
        var header = _blocks[block];
        var n = block < Blocks - 1 ? BlockSize : Count - block * BlockSize;
        var bytes = _bytes.AsSpan(header.Start, n * header.Stride);
        slots = slots[..n];
        frequencies = frequencies[..n];
        var slot = header.First;
        if (header is { DeltaWidth: 1, FrequencyWidth: 1 })
        {
            // Stop words and other common terms: a byte each, the case worth a loop of its own.
            for (var i = 0; i < slots.Length; i++)
            {
                slot += bytes[2 * i];
                slots[i] = slot;
                frequencies[i] = bytes[2 * i + 1];
            }
            return n;
        }
        for (var i = 0; i < slots.Length; i++)
        {
            var at = i * header.Stride;
            slot += (int)ReadWhole(bytes[at..], header.DeltaWidth);
            slots[i] = slot;
            frequencies[i] = ReadFrequency(bytes[(at + header.DeltaWidth)..], header.FrequencyWidth);
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
        var expected = 0;
        for (var block = 0; block < list._blocks.Length; block++)
        {
            var header = list._blocks[block];
            if (header.Start != expected || header.DeltaWidth is < 1 or > 4 || header.FrequencyWidth is not (1 or 2 or RawFloat)
                || header.Last < header.First || (block > 0 && header.First <= list._blocks[block - 1].Last))
            {
                throw new InvalidDataException("a posting list's blocks are malformed or out of order");
            }
            expected += Math.Min(BlockSize, list.Count - block * BlockSize) * header.Stride;
        }
        if (expected != list._byteCount) throw new InvalidDataException("a posting list's blocks do not cover its bytes");
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

    /// <summary>Re-encodes the open last block with wider fields; widths only grow, so a block is re-encoded at most five times.</summary>
    private void Widen(ref Block block, int held, byte deltaWidth, byte frequencyWidth)
    {
        Span<int> slots = stackalloc int[BlockSize];
        Span<float> frequencies = stackalloc float[BlockSize];
        var n = held == 0 ? 0 : Decode(Count / BlockSize, slots, frequencies);
        block = block with { DeltaWidth = deltaWidth, FrequencyWidth = frequencyWidth };
        _byteCount = block.Start;
        EnsureBytes(n * block.Stride);
        for (var i = 0; i < n; i++) Write(block, (uint)(slots[i] - (i == 0 ? block.First : slots[i - 1])), frequencies[i]);
    }

    private void Write(Block block, uint delta, float frequency)
    {
        var bytes = _bytes.AsSpan(_byteCount, block.Stride);
        WriteWhole(bytes, delta, block.DeltaWidth);
        if (block.FrequencyWidth == RawFloat) BinaryPrimitives.WriteSingleLittleEndian(bytes[block.DeltaWidth..], frequency);
        else WriteWhole(bytes[block.DeltaWidth..], (uint)frequency, block.FrequencyWidth);
        _byteCount += block.Stride;
    }

    private static byte WidthOf(uint value) => value < 1u << 8 ? (byte)1 : value < 1u << 16 ? (byte)2 : value < 1u << 24 ? (byte)3 : (byte)4;

    private static byte FrequencyWidthOf(float frequency) =>
        frequency is >= 0 and < 65536f && frequency == MathF.Floor(frequency) ? WidthOf((uint)frequency) : (byte)RawFloat;

    public static uint ReadWhole(ReadOnlySpan<byte> bytes, int width) => width switch
    {
        1 => bytes[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        3 => (uint)(bytes[0] | bytes[1] << 8 | bytes[2] << 16),
        _ => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
    };

    private static void WriteWhole(Span<byte> bytes, uint value, int width)
    {
        for (var i = 0; i < width; i++) bytes[i] = (byte)(value >> (8 * i));
    }

    /// <summary>A block's header: its first and last slot, where its bytes start, the bounds of its postings and its field widths.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Block(int First, int Last, int Start, float MaxFrequency, float MinLength, byte DeltaWidth, byte FrequencyWidth)
    {
        public int Stride => DeltaWidth + FrequencyWidth;
    }
}
