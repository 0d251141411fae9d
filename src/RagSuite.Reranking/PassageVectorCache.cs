namespace RagSuite.Reranking;

/// <summary>
/// The most recently used passages' window vectors, keyed by passage text and model. Retrieval hands the
/// reranker many of the same candidates query after query; each is embedded once.
/// </summary>
public sealed class PassageVectorCache(int capacity)
{
    private readonly Dictionary<(string Model, string Passage), LinkedListNode<Entry>> _index = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();

    public bool TryGet(string model, string passage, out float[][] windows)
    {
        lock (_lock)
        {
            if (_index.TryGetValue((model, passage), out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                windows = node.Value.Windows;
                return true;
            }
        }
        windows = [];
        return false;
    }

    public void Add(string model, string passage, float[][] windows)
    {
        if (capacity == 0) return;
        lock (_lock)
        {
            if (_index.ContainsKey((model, passage))) return;
            _index[(model, passage)] = _recency.AddFirst(new Entry(model, passage, windows));
            while (_index.Count > capacity)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _index.Remove((last.Value.Model, last.Value.Passage));
            }
        }
    }

    private sealed record Entry(string Model, string Passage, float[][] Windows);
}
