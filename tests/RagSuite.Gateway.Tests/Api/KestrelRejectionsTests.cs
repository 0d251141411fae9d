using System.Text;
using System.Text.Json.Nodes;
using RagSuite.Gateway.Api;

namespace RagSuite.Gateway.Tests.Api;

public sealed class KestrelRejectionsTests
{
    private const string Bare431 = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\nDate: Mon, 23 Nov 2026 23:50:00 GMT\r\nServer: Kestrel\r\n\r\n";

    [Fact]
    public void A_bare_rejection_gets_a_problem_body_naming_the_limit()
    {
        var rewritten = Encoding.ASCII.GetString(KestrelRejections.Rewrite(Encoding.ASCII.GetBytes(Bare431))!);

        var (head, body) = (rewritten[..rewritten.IndexOf("\r\n\r\n", StringComparison.Ordinal)], rewritten[(rewritten.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.StartsWith("HTTP/1.1 431 ", head);
        Assert.Contains("Content-Type: application/problem+json", head);
        Assert.Contains($"Content-Length: {Encoding.UTF8.GetByteCount(body)}", head);
        Assert.Contains("Connection: close", head);
        Assert.DoesNotContain("Content-Length: 0", head);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(431, problem["status"]!.GetValue<int>());
        Assert.Contains("MaxRequestHeadersTotalSize", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n")]
    [InlineData("{\"answer\": \"HTTP/1.1 400\"}")]
    public void Anything_but_a_bare_rejection_passes_untouched(string response)
    {
        Assert.Null(KestrelRejections.Rewrite(Encoding.ASCII.GetBytes(response)));
    }
}
