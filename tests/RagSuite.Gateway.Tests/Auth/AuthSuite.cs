using System.Text.Json;
using RagSuite.Gateway.Auth;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests.Auth;

/// <summary>
/// Embedded mode with a key file, read again every 0.1 s: collections <c>docs</c> and <c>other</c> (the test corpus), and
/// <c>shared</c>, multi-tenant (<c>tenant_key</c> <c>tenant</c>), holding documents of three tenants whose ids start with
/// their tenant's name.
/// </summary>
public sealed class AuthSuite : SuiteFixture
{
    public const string Admin = "rsk_test_admin";
    public const string DocsAdmin = "rsk_test_docs_admin";
    public const string Writer = "rsk_test_writer";
    public const string Reader = "rsk_test_reader";
    public const string Acme = "rsk_test_acme";
    public const string Limited = "rsk_test_limited";
    public const string Revocable = "rsk_test_revocable";
    public const string OneAtATime = "rsk_test_single";
    public const string Shared = "shared";
    public static readonly string[] Tenants = ["acme", "globex", "initech"];

    /// <summary>Words the tenants' documents are made of, so any query made of them matches every tenant's documents.</summary>
    public static readonly string[] Words =
        ["invoice", "shipment", "contract", "warehouse", "payroll", "audit", "forecast", "supplier", "budget", "merger", "patent", "lease"];

    public const int DocumentsPerTenant = 12;

    private static readonly JsonSerializerOptions KeyFileJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly TemporaryDirectory _secrets = new("ragsuite-keys");

    public string KeysFile => Path.Combine(_secrets.Path, "keys.json");

    /// <summary>The key file the suite starts with; tests that rewrite it put this back.</summary>
    public static object[] Keys =>
    [
        Entry("admin", Admin, ["*"], "admin"),
        Entry("docs-admin", DocsAdmin, ["docs"], "admin"),
        Entry("writer", Writer, ["docs"], "write"),
        Entry("reader", Reader, ["docs"], "read"),
        Entry("acme", Acme, [Shared], "read", tenant: "acme"),
        Entry("limited", Limited, ["docs"], "read", requestsPerSecond: 1, burst: 2),
        Entry("revocable", Revocable, ["docs"], "read"),
        Entry("one-at-a-time", OneAtATime, ["docs"], "write", maxConcurrentRequests: 1),
    ];

    public static object Entry(string name, string key, string[] collections, string role, string? tenant = null,
        int? requestsPerSecond = null, int? burst = null, int? maxConcurrentRequests = null) =>
        new { name, sha256 = ApiKeyHash.Hex(key), collections, role, tenant, requests_per_second = requestsPerSecond, burst,
            max_concurrent_requests = maxConcurrentRequests };

    public void WriteKeys(params object[] keys)
    {
        // Written aside and moved into place, as a Secret's update is: the watcher never reads half a file.
        var temporary = KeysFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new { keys }, KeyFileJson));
        File.Move(temporary, KeysFile, overwrite: true);
    }

    public override async Task InitializeAsync()
    {
        WriteKeys(Keys);
        Gateway = await RunningHost.StartAsync(GatewayHost.Build,
            [$"RagSuite:Retriever:DataDirectory={Data.Path}", .. GatewayLimits, $"RagSuite:Gateway:Auth:KeysFile={KeysFile}", "RagSuite:Gateway:Auth:ReloadSeconds=0.1"]);
        using var admin = CreateClient(Admin);
        foreach (var name in new[] { "docs", "other" })
        {
            await admin.CreateCollectionAsync(name);
            await admin.IngestAsync(name, TestDocuments.All);
        }
        await admin.PostOkAsync("/v1/collections", new { name = Shared, tenant_key = "tenant" });
        var random = new Random(20261124);
        var documents = Tenants.SelectMany(tenant => Enumerable.Range(0, DocumentsPerTenant).Select(i => (object)new
        {
            id = $"{tenant}-{i}",
            text = string.Join(' ', Enumerable.Range(0, 12).Select(_ => Words[random.Next(Words.Length)])) + ".",
            metadata = new { tenant },
        })).ToArray();
        await admin.IngestAsync(Shared, documents);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _secrets.Dispose();
    }
}
