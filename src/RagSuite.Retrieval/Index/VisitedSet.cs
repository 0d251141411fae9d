namespace RagSuite.Retrieval.Index;

/// <summary>
/// Which graph nodes a search has visited: a stamp per node, where a new search only bumps the stamp instead of
/// clearing the array. One per thread, so concurrent searches never share it.
/// </summary>
internal sealed class VisitedSet
{
    [ThreadStatic]
    private static VisitedSet? t_current;

    private int[] _stamps = [];
    private int _stamp;

    public static VisitedSet For(int nodes)
    {
        var set = t_current ??= new VisitedSet();
        if (set._stamps.Length < nodes) set._stamps = new int[Math.Max(nodes, set._stamps.Length * 2)];
        return set;
    }

    public void Next()
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_stamps);
            _stamp = 1;
        }
    }

    /// <summary>Marks the node visited; false when it already was.</summary>
    public bool Visit(int node)
    {
        if (_stamps[node] == _stamp) return false;
        _stamps[node] = _stamp;
        return true;
    }
}
