namespace RagSuite.Testing.OpenAi;

/// <summary>What the test upstream does with the next requests.</summary>
public abstract record UpstreamBehavior
{
    /// <summary>Streams the answer, one word-piece per chunk, after <paramref name="FirstTokenDelay"/> and with <paramref name="TokenDelay"/> between chunks.</summary>
    public sealed record Answer(TimeSpan TokenDelay = default, TimeSpan FirstTokenDelay = default) : UpstreamBehavior;

    /// <summary>Answers with this HTTP status and an OpenAI-style error body.</summary>
    public sealed record Fail(int Status = 503) : UpstreamBehavior;

    /// <summary>Accepts the request and sends nothing until the client gives up.</summary>
    public sealed record Stall : UpstreamBehavior;

    /// <summary>Streams <paramref name="Chunks"/> content chunks, then breaks the connection.</summary>
    public sealed record DropAfter(int Chunks) : UpstreamBehavior;

    /// <summary>Streams <paramref name="Chunks"/> content chunks, then sends nothing more until the client gives up.</summary>
    public sealed record StallAfter(int Chunks) : UpstreamBehavior;
}
