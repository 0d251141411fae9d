using System.Runtime.CompilerServices;

namespace RagSuite.Retrieval.Index;

/// <summary>
/// Reads one <see cref="PostingList"/> forward for slots asked in increasing order: it skips by the blocks' last
/// slots, and inside a block adds up deltas only as far as the slot asked for, reading a frequency only for a slot
/// that is there; so a list is read only where candidates are. Reused from query to query (see <see cref="Accumulators"/>).
/// </summary>
internal sealed class PostingCursor
{
    private PostingList _list = null!;
    private byte[] _bytes = [];
    private int _blocks;
    private int _block;
    private int _entered;

    // The posting the cursor stands on in the entered block: its bytes and its slot.
    private int _at;
    private int _slot;
    private int _deltaWidth;
    private int _frequencyWidth;

    public PostingCursor Reset(PostingList list)
    {
        _list = list;
        _bytes = list.Encoded;
        _blocks = list.Blocks;
        _block = 0;
        _entered = -1;
        return this;
    }

    /// <summary>The block that would hold <paramref name="slot"/> (its last slot is at or after it), or -1 past the list's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BlockOf(int slot)
    {
        if (_block < _blocks && _list.LastSlot(_block) >= slot) return _block;
        return SkipTo(slot);
    }

    /// <summary>The frequency of <paramref name="slot"/> in the list, or false when it has none.</summary>
    public bool TryGet(int slot, out float frequency)
    {
        frequency = 0;
        var block = BlockOf(slot);
        if (block < 0) return false;
        if (block != _entered) Enter(block);
        // The block's last slot is at or after the one asked for, so this stops inside the block.
        var bytes = _bytes;
        var stride = _deltaWidth + _frequencyWidth;
        if (_deltaWidth == 1)
        {
            while (_slot < slot)
            {
                _at += stride;
                _slot += bytes[_at];
            }
        }
        else
        {
            while (_slot < slot)
            {
                _at += stride;
                _slot += (int)PostingList.ReadWhole(bytes.AsSpan(_at), _deltaWidth);
            }
        }
        if (_slot != slot) return false;
        frequency = PostingList.ReadFrequency(bytes.AsSpan(_at + _deltaWidth), _frequencyWidth);
        return true;
    }

    private void Enter(int block)
    {
        (_slot, _at, _deltaWidth, _frequencyWidth) = _list.Layout(block);
        _entered = block;
    }

    private int SkipTo(int slot)
    {
        var blocks = _blocks;
        if (_block >= blocks) return -1;
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
}
