using System.Text;
using RagSuite.Gateway.Auth;

namespace RagSuite.Gateway.Tests.Auth;

/// <summary>The key file's format: what it grants, and every way it can be wrong, each named.</summary>
public sealed class ApiKeyFileTests
{
    private const string Hash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // sha256("abc")

    [Fact]
    public void A_key_s_hash_is_the_sha256sum_of_its_bytes_in_lower_case_hex()
    {
        Assert.Equal(Hash, ApiKeyHash.Hex("abc"));
        Assert.StartsWith("rsk_", ApiKeyHash.NewKey());
        Assert.NotEqual(ApiKeyHash.NewKey(), ApiKeyHash.NewKey());
    }

    [Fact]
    public void A_valid_file_gives_each_key_its_role_collections_tenant_and_limits()
    {
        var keys = Parse($$"""
            {"keys": [
              {"name": "ops", "sha256": "{{Hash.ToUpperInvariant()}}", "collections": ["*"], "role": "admin"},
              {"name": "acme-app", "sha256": "{{new string('0', 64)}}", "collections": ["shared"], "role": "read", "tenant": "acme",
               "requests_per_second": 5, "burst": 10, "max_concurrent_requests": 2}
            ]}
            """);

        Assert.Equal(ApiRole.Admin, keys[0].Role);
        Assert.True(keys[0].Allows("anything"));
        Assert.Equal(Convert.FromHexString(Hash), keys[0].Hash);
        Assert.Equal(("acme", 5, 10, 2), (keys[1].Tenant, keys[1].RequestsPerSecond, keys[1].Burst, keys[1].MaxConcurrentRequests));
        Assert.True(keys[1].Allows("shared"));
        Assert.False(keys[1].Allows("other"));
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "not JSON", "{keys", "not valid JSON" },
        { "no keys array", "{}", "\"keys\"" },
        { "an unknown member", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": ["*"], "role": "read", "tenants": "acme"}]}""", "not valid JSON" },
        { "no name", $$"""{"keys": [{"sha256": "{{Hash}}", "collections": ["*"], "role": "read"}]}""", "keys[0].name" },
        { "the key instead of its hash", """{"keys": [{"name": "a", "sha256": "rsk_secret", "collections": ["*"], "role": "read"}]}""", "sha256" },
        { "no collections", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": [], "role": "read"}]}""", "collections" },
        { "a bad collection name", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": ["../x"], "role": "read"}]}""", "collections" },
        { "an unknown role", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": ["*"], "role": "owner"}]}""", "role" },
        { "an empty tenant", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": ["*"], "role": "read", "tenant": ""}]}""", "tenant" },
        { "a zero rate", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": ["*"], "role": "read", "requests_per_second": 0}]}""", "requests_per_second" },
        { "a zero concurrency", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": ["*"], "role": "read", "max_concurrent_requests": 0}]}""", "max_concurrent_requests" },
        { "a name twice", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": ["*"], "role": "read"}, {"name": "a", "sha256": "{{new string('1', 64)}}", "collections": ["*"], "role": "read"}]}""", "used twice" },
        { "a hash twice", $$"""{"keys": [{"name": "a", "sha256": "{{Hash}}", "collections": ["*"], "role": "read"}, {"name": "b", "sha256": "{{Hash}}", "collections": ["*"], "role": "read"}]}""", "same sha256" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_refused_naming_what_is_wrong(string why, string file, string named)
    {
        var error = Assert.Throws<FormatException>(() => Parse(file));

        Assert.True(error.Message.Contains(named, StringComparison.Ordinal), $"{why}: {error.Message}");
        Assert.DoesNotContain("rsk_secret", error.Message);
    }

    private static IReadOnlyList<ApiKey> Parse(string file) => ApiKeyFile.Parse(Encoding.UTF8.GetBytes(file));
}
