using RagSuite.Testing;

namespace RagSuite.Gateway.Tests.Security;

/// <summary>A gateway that allows one browser origin, with a key file so refusals can be checked for CORS headers too.</summary>
public sealed class CorsSuite : SuiteFixture
{
    public const string Origin = "https://app.example.com";

    public override async Task InitializeAsync() =>
        Gateway = await RunningHost.StartAsync(GatewayHost.Build,
            [$"RagSuite:Retriever:DataDirectory={Data.Path}", .. GatewayLimits, $"RagSuite:Gateway:Cors:AllowedOrigins:0={Origin}"]);
}

/// <summary>CORS is off unless origins are configured; when they are, only those origins get access, preflights included.</summary>
public sealed class CorsTests(SecuritySuite closed, CorsSuite open) : IClassFixture<SecuritySuite>, IClassFixture<CorsSuite>
{
    private static HttpRequestMessage Preflight(string origin, string path = "/v1/query") => new(HttpMethod.Options, path)
    {
        Headers =
        {
            { "Origin", origin },
            { "Access-Control-Request-Method", "POST" },
            { "Access-Control-Request-Headers", "authorization,content-type" },
        },
    };

    private static HttpRequestMessage Get(string origin, string path = "/v1/collections") => new(HttpMethod.Get, path) { Headers = { { "Origin", origin } } };

    private static IEnumerable<string> CorsHeaders(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers).Select(h => h.Key).Where(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task Without_configured_origins_no_response_carries_cors_headers_and_preflights_are_not_allowed()
    {
        using var client = closed.CreateClient(SecuritySuite.Reader);
        using var preflight = await client.SendAsync(Preflight(CorsSuite.Origin));
        using var get = await client.SendAsync(Get(CorsSuite.Origin));
        using var refused = await closed.CreateClient(null).SendAsync(Get(CorsSuite.Origin));

        Assert.False(preflight.IsSuccessStatusCode, $"preflight answered {(int)preflight.StatusCode}");
        Assert.Empty(CorsHeaders(preflight));
        Assert.Equal(200, (int)get.StatusCode);
        Assert.Empty(CorsHeaders(get));
        Assert.Equal(401, (int)refused.StatusCode);
        Assert.Empty(CorsHeaders(refused));
    }

    [Fact]
    public async Task A_configured_origin_gets_its_preflight_allowed_for_the_api_methods_and_key_headers()
    {
        using var client = open.CreateClient();
        using var preflight = await client.SendAsync(Preflight(CorsSuite.Origin));

        Assert.Equal(204, (int)preflight.StatusCode);
        Assert.Equal(CorsSuite.Origin, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Methods")));
        var allowed = string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowed);
        Assert.Contains("content-type", allowed);
    }

    [Fact]
    public async Task A_configured_origin_can_read_answers_and_errors_and_another_origin_cannot()
    {
        using var client = open.CreateClient();
        using var get = await client.SendAsync(Get(CorsSuite.Origin));
        using var missing = await client.SendAsync(Get(CorsSuite.Origin, "/v1/collections/absent"));
        using var other = await client.SendAsync(Get("https://evil.example.net"));
        using var otherPreflight = await client.SendAsync(Preflight("https://evil.example.net"));

        Assert.Equal(200, (int)get.StatusCode);
        Assert.Equal(CorsSuite.Origin, get.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal(CorsSuite.Origin, missing.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Empty(CorsHeaders(other));
        Assert.False(otherPreflight.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
