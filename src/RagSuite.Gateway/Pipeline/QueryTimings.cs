namespace RagSuite.Gateway.Pipeline;

/// <summary>Time spent in each stage of one query; the total runs from when the query started.</summary>
public sealed class QueryTimings(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public TimeSpan Embed { get; set; }

    public TimeSpan Retrieve { get; set; }

    public TimeSpan Rerank { get; set; }

    public TimeSpan Generate { get; set; }

    public TimeSpan Total => time.GetElapsedTime(_started);
}
