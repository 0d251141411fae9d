namespace RagSuite.Bench.Peers.Measurement;

/// <summary>
/// An engine ready to be queried. Each simulated client opens its own session, because some engines (SQLite) want
/// one connection per thread while others (Lucene's IndexSearcher, an HTTP client) are shared safely.
/// </summary>
public interface ISearchTarget
{
    /// <summary>What the row in the results table is called, e.g. "lucene.net" or "ragsuite ef=64".</summary>
    string Name { get; }

    ISearchSession OpenSession();
}

/// <summary>One client's connection to an engine.</summary>
public interface ISearchSession : IDisposable
{
    /// <summary>The ids of the top hits for query number <paramref name="query"/>, best first.</summary>
    ValueTask<SearchOutcome> SearchAsync(int query, CancellationToken cancellationToken);
}

/// <summary>The ranked ids a search returned and, where the engine reports it, its own time for the search stage.</summary>
public readonly record struct SearchOutcome(IReadOnlyList<string> Ids, double? ServerMilliseconds = null);
