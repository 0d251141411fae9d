namespace RagSuite.Retrieval.Index;

/// <summary>
/// One term's postings: slots in ascending order with their term frequencies, and the list's largest frequency
/// and shortest point length. Those two bound every BM25 contribution in the list whatever the collection
/// statistics are (the contribution grows with the frequency and shrinks with the length), so search can leave
/// out lists that cannot lift a point into the top k.
/// Slots are only ever appended in increasing order; removed points stay until the list is compacted.
/// </summary>
internal sealed class PostingList
{
    /// <summary>Removed postings a list tolerates before it is compacted, at least (and at least as many as live ones).</summary>
    private const int MinCompaction = 64;

    private int[] _slots = new int[4];
    private float[] _frequencies = new float[4];

    /// <summary>Postings held, removed ones included until compaction.</summary>
    public int Count { get; private set; }

    /// <summary>Postings of live points: the term's document frequency.</summary>
    public int Live { get; private set; }

    public float MaxFrequency { get; private set; }

    public float MinLength { get; private set; } = float.MaxValue;

    public int Slot(int position) => _slots[position];

    public float Frequency(int position) => _frequencies[position];

    public void Append(int slot, float frequency, float length)
    {
        if (Count > 0 && slot <= _slots[Count - 1]) throw new InvalidOperationException($"Slot {slot} is not after {_slots[Count - 1]}.");
        if (Count == _slots.Length)
        {
            Array.Resize(ref _slots, Count * 2);
            Array.Resize(ref _frequencies, Count * 2);
        }
        _slots[Count] = slot;
        _frequencies[Count] = frequency;
        Count++;
        Live++;
        MaxFrequency = Math.Max(MaxFrequency, frequency);
        MinLength = Math.Min(MinLength, length);
    }

    /// <summary>Counts one posting as removed; once most are, drops the removed ones and recomputes the bounds.</summary>
    public void Removed(Func<int, bool> isLive, Func<int, float> length)
    {
        Live--;
        if (Count - Live <= Math.Max(Live, MinCompaction)) return;
        var slots = _slots[..Count];
        var frequencies = _frequencies[..Count];
        Count = Live = 0;
        MaxFrequency = 0;
        MinLength = float.MaxValue;
        for (var i = 0; i < slots.Length; i++)
        {
            if (isLive(slots[i])) Append(slots[i], frequencies[i], length(slots[i]));
        }
    }

    /// <summary>Moves the postings to new slots (in the same order; -1 for removed points), dropping removed ones.</summary>
    public void Renumber(int[] renumbered, float[] lengths)
    {
        var slots = _slots[..Count];
        var frequencies = _frequencies[..Count];
        Count = Live = 0;
        MaxFrequency = 0;
        MinLength = float.MaxValue;
        for (var i = 0; i < slots.Length; i++)
        {
            if (renumbered[slots[i]] is var slot and >= 0) Append(slot, frequencies[i], lengths[slot]);
        }
    }

    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(Live);
        writer.Write(MaxFrequency);
        writer.Write(MinLength);
        BinaryArrays.Write<int>(writer, _slots.AsSpan(0, Count));
        BinaryArrays.Write<float>(writer, _frequencies.AsSpan(0, Count));
    }

    public static PostingList ReadFrom(BinaryReader reader)
    {
        var live = reader.ReadInt32();
        var maxFrequency = reader.ReadSingle();
        var minLength = reader.ReadSingle();
        var slots = BinaryArrays.Read<int>(reader);
        var frequencies = BinaryArrays.Read<float>(reader);
        if (frequencies.Length != slots.Length || live < 0 || live > slots.Length) throw new InvalidDataException("a posting list's counts disagree");
        var list = new PostingList { Count = slots.Length, Live = live, MaxFrequency = maxFrequency, MinLength = minLength };
        if (slots.Length > 0)
        {
            list._slots = slots;
            list._frequencies = frequencies;
        }
        return list;
    }

    /// <summary>The first position at or after <paramref name="from"/> whose slot is at least <paramref name="slot"/>, or Count.</summary>
    public int Seek(int from, int slot)
    {
        if (from >= Count || _slots[from] >= slot) return from;
        // Galloping: cheap for the short hops of a dense list, logarithmic for the long ones of a sparse one.
        var step = 1;
        while (from + step < Count && _slots[from + step] < slot) step *= 2;
        var low = from + step / 2 + 1;
        var high = Math.Min(from + step, Count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_slots[middle] < slot) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
