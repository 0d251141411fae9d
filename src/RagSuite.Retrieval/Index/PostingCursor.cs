namespace RagSuite.Retrieval.Index;

/// <summary>
/// Reads one <see cref="PostingList"/> forward for slots asked in increasing order: it skips by the blocks' last
/// slots and decodes a block only when a slot inside it is asked for, so a list is read only where candidates are.
/// Reused from query to query (see <see cref="Accumulators"/>).
/// </summary>
internal sealed class PostingCursor
{
    private readonly int[] _slots = new int[PostingList.BlockSize];
    private readonly float[] _frequencies = new float[PostingList.BlockSize];
    private PostingList _list = null!;
    private int _block;
    private int _decoded;
    private int _length;
    private int _position;

    public PostingCursor Reset(PostingList list)
    {
        _list = list;
        _block = 0;
        _decoded = -1;
        return this;
    }

    /// <summary>The block that would hold <paramref name="slot"/> (its last slot is at or after it), or -1 past the list's end.</summary>
    public int BlockOf(int slot)
    {
        var blocks = _list.Blocks;
        if (_block >= blocks || _list.LastSlot(_block) >= slot) return _block < blocks ? _block : -1;
        // Galloping over the block headers: short hops for a dense list, logarithmic ones for a sparse list.
        var step = 1;
        while (_block + step < blocks && _list.LastSlot(_block + step) < slot) step *= 2;
        var low = _block + step / 2 + 1;
        var high = Math.Min(_block + step, blocks);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_list.LastSlot(middle) < slot) low = middle + 1;
            else high = middle;
        }
        _block = low;
        return _block < blocks ? _block : -1;
    }

    /// <summary>The frequency of <paramref name="slot"/> in the list, or false when it has none.</summary>
    public bool TryGet(int slot, out float frequency)
    {
        frequency = 0;
        var block = BlockOf(slot);
        if (block < 0) return false;
        if (block != _decoded)
        {
            _length = _list.Decode(block, _slots, _frequencies);
            _decoded = block;
            _position = 0;
        }
        while (_position < _length && _slots[_position] < slot) _position++;
        if (_position == _length || _slots[_position] != slot) return false;
        frequency = _frequencies[_position];
        return true;
    }
}
