namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// A fact that drives the gateway with <c>hey</c>; it skips, saying how to install it, where <c>hey</c> is not on PATH
/// (<c>.ci/run</c> installs it, and only warns where it cannot, so the harness skips rather than fails).
/// </summary>
public sealed class HeyFactAttribute : FactAttribute
{
    public HeyFactAttribute()
    {
        if (Hey.Unavailable is { } reason) Skip = reason;
    }
}
