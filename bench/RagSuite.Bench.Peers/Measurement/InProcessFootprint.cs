namespace RagSuite.Bench.Peers.Measurement;

/// <summary>
/// What an engine that runs inside this process costs in memory: the growth of the resident set and of the managed
/// heap (after a full collection) from before it was built to after it was queried, with the engine still open.
/// Engines are measured one after another and disposed in between, so each delta is its own.
/// </summary>
public sealed class InProcessFootprint
{
    private readonly long _rss;
    private readonly long _managed;

    private InProcessFootprint(long rss, long managed)
    {
        _rss = rss;
        _managed = managed;
    }

    public static InProcessFootprint Start()
    {
        Collect();
        return new InProcessFootprint(ProcessMemory.OwnResidentBytes(), GC.GetTotalMemory(forceFullCollection: true));
    }

    /// <summary>Resident and managed growth so far, in MiB.</summary>
    public (double ResidentMiB, double ManagedMiB) Growth()
    {
        Collect();
        return (ProcessMemory.Mebibytes(ProcessMemory.OwnResidentBytes() - _rss),
            ProcessMemory.Mebibytes(GC.GetTotalMemory(forceFullCollection: true) - _managed));
    }

    private static void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}
