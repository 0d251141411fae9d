using System.Text.Json;
using RagSuite.Gateway.Auth;
using RagSuite.Gateway.Tests.Auth;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests.Security;

/// <summary>
/// An embedded gateway with a key file (an admin, a reader of <c>docs</c>, and a key allowed one request at a time per
/// second) and no CORS configuration; the collection <c>docs</c> holds <see cref="TestDocuments.All"/>.
/// </summary>
public sealed class SecuritySuite : SuiteFixture
{
    public const string Admin = "rsk_security_admin";
    public const string Reader = "rsk_security_reader";
    public const string Slow = "rsk_security_slow";

    /// <summary>Used by <see cref="ApiKeyMetricsTests"/> alone, so its counts are exact while other suites run beside it.</summary>
    public const string Counted = "rsk_security_counted";

    private readonly TemporaryDirectory _secrets = new("ragsuite-security");

    public override async Task InitializeAsync()
    {
        var keysFile = Path.Combine(_secrets.Path, "keys.json");
        await File.WriteAllTextAsync(keysFile, JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                AuthSuite.Entry("admin", Admin, ["*"], "admin"),
                AuthSuite.Entry("reader", Reader, ["docs"], "read"),
                AuthSuite.Entry("slow", Slow, ["docs"], "read", requestsPerSecond: 1, burst: 1),
                AuthSuite.Entry("counted", Counted, ["docs"], "read"),
            },
        }));
        Gateway = await RunningHost.StartAsync(GatewayHost.Build,
            [$"RagSuite:Retriever:DataDirectory={Data.Path}", .. GatewayLimits, $"RagSuite:Gateway:Auth:KeysFile={keysFile}"]);
        using var admin = CreateClient(Admin);
        await admin.CreateCollectionAsync("docs");
        await admin.IngestAsync("docs", TestDocuments.All);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _secrets.Dispose();
    }
}
