using RagSuite.Gateway.Api;

namespace RagSuite.Gateway.Tests.Api;

public sealed class DotSegmentsTests
{
    [Theory]
    [InlineData("/v1/collections/c/documents/..", true)]
    [InlineData("/v1/collections/c/documents/%2e%2e", true)]
    [InlineData("/v1/collections/c/documents/%2E%2e/x", true)]
    [InlineData("/v1/collections/c/documents/.%2e", true)]
    [InlineData("/v1/collections/c/./documents", true)]
    [InlineData("/v1/collections/c/documents/%2e", true)]
    [InlineData("/v1/collections/c/documents/a..b", false)]
    [InlineData("/v1/collections/c/documents/...", false)]
    [InlineData("/v1/collections/c/documents/.hidden", false)]
    [InlineData("/v1/collections/c/documents/a%2Fb", false)]
    [InlineData("/v1/query?next=../x", false)]
    [InlineData("/v1/collections", false)]
    public void A_dot_segment_is_found_plain_or_encoded(string target, bool found)
    {
        Assert.Equal(found, DotSegments.HasDotSegment(target));
    }
}
