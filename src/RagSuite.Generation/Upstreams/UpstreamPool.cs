namespace RagSuite.Generation.Upstreams;

/// <summary>The configured upstreams, owned for the life of the host (their connections close with it).</summary>
public sealed class UpstreamPool(IReadOnlyList<ChatUpstream> upstreams) : IDisposable
{
    public IReadOnlyList<ChatUpstream> Upstreams { get; } = upstreams;

    public void Dispose()
    {
        foreach (var upstream in Upstreams) upstream.Dispose();
    }
}
