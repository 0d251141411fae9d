namespace RagSuite.Retrieval.Index;

/// <summary>
/// The best <c>k</c> slots seen so far, as a bounded min-heap with the worst kept hit on top. Order is score
/// descending, then point id ascending, the order every search result has; <see cref="Threshold"/> is what a
/// new hit must reach (equal scores can still enter with a smaller id).
/// </summary>
internal sealed class TopHits(int capacity, Func<int, string> pointId)
{
    // Grown as hits arrive: a large k over few matches should not cost a k-sized array.
    private readonly List<(int Slot, float Score)> _heap = new(Math.Min(capacity, 1024));

    public int Count => _heap.Count;

    public bool IsFull => Count == capacity;

    /// <summary>The worst kept score once full; below it nothing can enter.</summary>
    public float Threshold => IsFull ? _heap[0].Score : float.NegativeInfinity;

    public void Offer(int slot, float score)
    {
        if (capacity == 0) return;
        if (!IsFull)
        {
            _heap.Add((slot, score));
            Up(Count - 1);
        }
        else if (Worse(_heap[0], (slot, score)))
        {
            _heap[0] = (slot, score);
            Down(0);
        }
    }

    /// <summary>The kept hits, best first.</summary>
    public List<KeyValuePair<int, float>> Ranked()
    {
        var hits = new List<KeyValuePair<int, float>>(Count);
        for (var i = 0; i < Count; i++) hits.Add(new(_heap[i].Slot, _heap[i].Score));
        hits.Sort((a, b) => Worse((a.Key, a.Value), (b.Key, b.Value)) ? 1 : Worse((b.Key, b.Value), (a.Key, a.Value)) ? -1 : 0);
        return hits;
    }

    /// <summary>Whether <paramref name="a"/> ranks below <paramref name="b"/>.</summary>
    private bool Worse((int Slot, float Score) a, (int Slot, float Score) b) =>
        a.Score < b.Score || (a.Score == b.Score && string.CompareOrdinal(pointId(a.Slot), pointId(b.Slot)) > 0);

    private void Up(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Worse(_heap[i], _heap[parent])) return;
            (_heap[i], _heap[parent]) = (_heap[parent], _heap[i]);
            i = parent;
        }
    }

    private void Down(int i)
    {
        while (true)
        {
            var worst = i;
            foreach (var child in (ReadOnlySpan<int>)[2 * i + 1, 2 * i + 2])
            {
                if (child < Count && Worse(_heap[child], _heap[worst])) worst = child;
            }
            if (worst == i) return;
            (_heap[i], _heap[worst]) = (_heap[worst], _heap[i]);
            i = worst;
        }
    }
}
