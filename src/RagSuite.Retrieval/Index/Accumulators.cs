namespace RagSuite.Retrieval.Index;

/// <summary>
/// Scratch space of one term-at-a-time BM25 query: a partial score per slot, the slots met so far and the largest
/// partial score, and cursors over posting lists. One per thread, reused from query to query, so a query allocates nothing in proportion to the
/// collection; <see cref="Clear"/> resets only the slots the query met.
/// </summary>
internal sealed class Accumulators
{
    public const float Unseen = -1f;

    /// <summary>A point met but removed or refused by the filter: never a candidate.</summary>
    public const float Rejected = -2f;

    [ThreadStatic]
    private static Accumulators? t_current;

    private readonly List<PostingCursor> _cursors = [];
    private float[] _heap = new float[16];

    public float[] Scores { get; private set; } = [];

    /// <summary>Every slot met by the query, to be reset afterwards.</summary>
    public List<int> Candidates { get; } = [];

    /// <summary>The candidates still in the running, in slot order, while the remaining lists are added.</summary>
    public List<int> Alive { get; } = [];

    public float Max { get; set; } = float.NegativeInfinity;

    public static Accumulators For(int slots)
    {
        var scratch = t_current ??= new Accumulators();
        if (scratch.Scores.Length < slots)
        {
            scratch.Scores = new float[Math.Max(slots, scratch.Scores.Length * 2)];
            Array.Fill(scratch.Scores, Unseen);
        }
        return scratch;
    }

    /// <summary>The query's <paramref name="index"/>-th cursor, set to read <paramref name="list"/> from its start.</summary>
    public PostingCursor Cursor(int index, PostingList list)
    {
        while (_cursors.Count <= index) _cursors.Add(new PostingCursor());
        return _cursors[index].Reset(list);
    }

    /// <summary>The k-th largest partial score among accepted <paramref name="slots"/> (-∞ with fewer than k), by a size-k min-heap.</summary>
    public float KthLargest(List<int> slots, int k)
    {
        if (_heap.Length < k) _heap = new float[k];
        var size = 0;
        foreach (var slot in slots)
        {
            var score = Scores[slot];
            if (score < 0) continue;
            if (size < k)
            {
                _heap[size] = score;
                SiftUp(size++);
            }
            else if (score > _heap[0])
            {
                _heap[0] = score;
                SiftDown(k);
            }
        }
        return size < k ? float.NegativeInfinity : _heap[0];
    }

    public void Clear()
    {
        foreach (var slot in Candidates) Scores[slot] = Unseen;
        Candidates.Clear();
        Alive.Clear();
        Max = float.NegativeInfinity;
    }

    private void SiftUp(int at)
    {
        while (at > 0)
        {
            var parent = (at - 1) / 2;
            if (_heap[parent] <= _heap[at]) return;
            (_heap[parent], _heap[at]) = (_heap[at], _heap[parent]);
            at = parent;
        }
    }

    private void SiftDown(int size)
    {
        for (var at = 0; ;)
        {
            var smallest = at;
            var left = 2 * at + 1;
            if (left < size && _heap[left] < _heap[smallest]) smallest = left;
            if (left + 1 < size && _heap[left + 1] < _heap[smallest]) smallest = left + 1;
            if (smallest == at) return;
            (_heap[smallest], _heap[at]) = (_heap[at], _heap[smallest]);
            at = smallest;
        }
    }
}
