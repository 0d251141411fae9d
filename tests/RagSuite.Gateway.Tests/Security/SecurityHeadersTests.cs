using RagSuite.Gateway.Security;

namespace RagSuite.Gateway.Tests.Security;

/// <summary>Every gateway response carries the security headers: successes, problems, and the open infrastructure endpoints.</summary>
public sealed class SecurityHeadersTests(SecuritySuite suite) : IClassFixture<SecuritySuite>
{
    public sealed record HeaderCase(string Name, string? Key, string Method, string Path, string? Body, int Status)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<HeaderCase> Responses =>
    [
        new("list collections", SecuritySuite.Reader, "GET", "/v1/collections", null, 200),
        new("query", SecuritySuite.Reader, "POST", "/v1/query", """{"question": "How tall is the Eiffel Tower?", "collection": "docs"}""", 200),
        new("streamed query", SecuritySuite.Reader, "POST", "/v1/query", """{"question": "Eiffel", "collection": "docs", "stream": true}""", 200),
        new("no such endpoint", SecuritySuite.Reader, "GET", "/v1/nowhere", null, 404),
        new("no key", null, "GET", "/v1/collections", null, 401),
        new("reader creates a collection", SecuritySuite.Reader, "POST", "/v1/collections", """{"name": "x"}""", 403),
        new("unreadable body", SecuritySuite.Reader, "POST", "/v1/query", "{", 400),
        new("wrong method", SecuritySuite.Reader, "PUT", "/v1/query", "{}", 405),
        new("openapi document", null, "GET", "/openapi/v1.json", null, 200),
        new("liveness", null, "GET", "/healthz", null, 200),
        new("readiness", null, "GET", "/readyz", null, 200),
        new("metrics", null, "GET", "/metrics", null, 200),
    ];

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_the_security_headers(HeaderCase test)
    {
        using var client = suite.CreateClient(test.Key);
        using var request = new HttpRequestMessage(new HttpMethod(test.Method), test.Path);
        if (test.Body is not null) request.Content = new StringContent(test.Body, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request);

        Assert.Equal(test.Status, (int)response.StatusCode);
        Assert.Equal(SecurityHeaders.ContentTypeOptions, Header(response, "X-Content-Type-Options"));
        Assert.Equal(SecurityHeaders.FrameOptions, Header(response, "X-Frame-Options"));
        Assert.Equal(SecurityHeaders.ReferrerPolicy, Header(response, "Referrer-Policy"));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Contains("no-store", Header(response, "Cache-Control"));
        // No endpoint serves HTML, which is what makes default-src 'none' safe.
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : $"(no {name})";
}
