using RagSuite.Retrieval.Index;

namespace RagSuite.Retriever.Tests;

public sealed class PostingListTests
{
    // Gaps and frequencies at the edges of the encoding: one- to five-byte deltas, whole counts and escaped floats.
    private static readonly int[] Gaps = [1, 2, 127, 128, 16_383, 16_384, 2_097_152, 1 << 28];
    private static readonly float[] Frequencies = [1, 2, 127, 128, 300, 0.5f, 2.25f, 16_777_216, 16_777_218, 1e9f, 0];

    [Fact]
    public void Decoded_blocks_give_back_every_slot_and_frequency_with_block_bounds()
    {
        var (list, slots, frequencies, lengths) = Build(new Random(1), 1000);

        var decoded = list.Postings();

        Assert.Equal(slots, decoded.Slots);
        Assert.Equal(frequencies, decoded.Frequencies);
        Assert.Equal((slots.Length + PostingList.BlockSize - 1) / PostingList.BlockSize, list.Blocks);
        for (var block = 0; block < list.Blocks; block++)
        {
            var range = new Range(block * PostingList.BlockSize, Math.Min(slots.Length, (block + 1) * PostingList.BlockSize));
            Assert.Equal(slots[range][^1], list.LastSlot(block));
            Assert.Equal(frequencies[range].Max(), list.BlockMaxFrequency(block));
            Assert.Equal(lengths[range].Min(), list.BlockMinLength(block));
        }
        Assert.Equal(frequencies.Max(), list.MaxFrequency);
        Assert.Equal(lengths.Min(), list.MinLength);
    }

    [Fact]
    public void A_list_read_back_from_its_bytes_is_the_same_list()
    {
        var (list, slots, frequencies, _) = Build(new Random(2), 777);
        using var buffer = new MemoryStream();
        list.WriteTo(new BinaryWriter(buffer));
        buffer.Position = 0;

        var read = PostingList.ReadFrom(new BinaryReader(buffer));

        Assert.Equal(buffer.Length, buffer.Position);
        Assert.Equal(slots, read.Postings().Slots);
        Assert.Equal(frequencies, read.Postings().Frequencies);
        Assert.Equal((list.Count, list.Live, list.MaxFrequency, list.MinLength, list.Blocks), (read.Count, read.Live, read.MaxFrequency, read.MinLength, read.Blocks));
    }

    [Fact]
    public void Cursor_finds_exactly_the_slots_in_the_list_for_increasing_probes()
    {
        var random = new Random(3);
        var (list, slots, frequencies, _) = Build(random, 600, maxGap: 40);
        var cursor = new PostingCursor().Reset(list);
        var expected = slots.Select((slot, i) => (slot, i)).ToDictionary(p => p.slot, p => frequencies[p.i]);

        for (var probe = 0; probe <= slots[^1] + 5; probe += random.Next(1, 4))
        {
            var found = cursor.TryGet(probe, out var frequency);
            Assert.Equal(expected.ContainsKey(probe), found);
            if (found) Assert.Equal(expected[probe], frequency);
        }
        Assert.Equal(-1, cursor.BlockOf(slots[^1] + 1));
    }

    [Theory]
    [InlineData(2, 2.25)] // stop words, in nearly every point: a byte for the delta and one for the count
    [InlineData(20, 2.25)] // common words
    [InlineData(1000, 3.25)] // rarer words: two bytes for the delta
    public void Lists_of_small_counts_take_a_fraction_of_the_eight_bytes_of_a_raw_posting(int maxGap, double bytesPerPosting)
    {
        var list = new PostingList();
        var random = new Random(4);
        for (int i = 0, slot = 0; i < 100_000; i++, slot += random.Next(1, maxGap)) list.Append(slot, random.Next(1, 6), 50);

        Assert.True(list.Bytes < bytesPerPosting * 100_000, $"{list.Bytes} bytes for 100,000 postings");
    }

    [Fact]
    public void Renumbering_drops_removed_points_and_keeps_the_order()
    {
        var (list, slots, frequencies, _) = Build(new Random(5), 300, maxGap: 3);
        var renumbered = Enumerable.Repeat(-1, slots[^1] + 1).ToArray();
        var next = 0;
        for (var slot = 0; slot < renumbered.Length; slot++) renumbered[slot] = slot % 4 == 0 ? -1 : next++;
        var lengths = Enumerable.Repeat(10f, next).ToArray();

        list.Renumber(renumbered, lengths);

        var kept = slots.Select((slot, i) => (slot, i)).Where(p => renumbered[p.slot] >= 0).ToArray();
        Assert.Equal(kept.Select(p => renumbered[p.slot]), list.Postings().Slots);
        Assert.Equal(kept.Select(p => frequencies[p.i]), list.Postings().Frequencies);
        Assert.Equal(kept.Length, list.Live);
    }

    [Fact]
    public void Appending_a_slot_that_is_not_after_the_last_throws()
    {
        var list = new PostingList();
        list.Append(5, 1, 1);

        Assert.Throws<InvalidOperationException>(() => list.Append(5, 1, 1));
        Assert.Throws<InvalidOperationException>(() => list.Append(4, 1, 1));
    }

    private static (PostingList List, int[] Slots, float[] Frequencies, float[] Lengths) Build(Random random, int count, int? maxGap = null)
    {
        var list = new PostingList();
        var slots = new int[count];
        var frequencies = new float[count];
        var lengths = new float[count];
        var slot = -1;
        for (var i = 0; i < count; i++)
        {
            // The large gaps only while the slots stay far from int.MaxValue.
            var gap = maxGap is { } m ? random.Next(1, m + 1) : Gaps[random.Next(slot < 1 << 29 ? Gaps.Length : 6)];
            slot += gap;
            slots[i] = slot;
            frequencies[i] = Frequencies[random.Next(Frequencies.Length)];
            lengths[i] = random.Next(1, 500);
            list.Append(slot, frequencies[i], lengths[i]);
        }
        return (list, slots, frequencies, lengths);
    }
}
