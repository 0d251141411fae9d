using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Core.Tests.Remote;

namespace RagSuite.Core.Tests.Security;

/// <summary>
/// Mutual TLS between the gateway's gRPC clients and a service (RagSuite:ServiceTls), with certificates made in the test
/// and written as cert-manager writes them: a client with a certificate from the suite's CA calls through the real client
/// stack; callers without one, or with one from another CA, are refused before the service sees the call; the client
/// refuses a service that does not prove the name it dialled; renewed files take effect without a restart; unusable
/// settings stop start-up naming the setting.
/// </summary>
public sealed class ServiceTlsTests : IDisposable
{
    private static readonly RerankRequest Rerank = new() { Query = "q", Passages = { "a" } };

    /// <summary>What a test service's certificate names: the loopback host, by name and by address.</summary>
    private static readonly string[] Loopback = ["localhost", "127.0.0.1"];

    private readonly TestAuthority _suite = TestAuthority.Create("RagSuite test CA");
    private readonly TestAuthority _other = TestAuthority.Create("Another CA");

    [Theory]
    [InlineData("Address=dns:///localhost:{0}")]
    [InlineData("Address=https://localhost:{0}")]
    [InlineData("Address=https://127.0.0.1:{0}")]
    [InlineData("Addresses:0=https://localhost:{0}")]
    public async Task A_client_with_a_certificate_from_the_suites_CA_calls_the_service_and_its_http_port_stays_plain(string address)
    {
        using var serviceFiles = TlsFiles.For(_suite.Issue("reranker", Loopback, client: false), _suite);
        using var clientFiles = TlsFiles.For(_suite.Issue("gateway", [], server: false), _suite);
        await using var replica = await Replica.StartAsync(settings: serviceFiles.Settings());
        await using var provider = RemoteClients.Build([RerankerAt(address, replica), .. clientFiles.Settings()]);

        var response = await provider.GetRequiredService<IReranker>().RerankAsync(Rerank, CancellationToken.None);

        Assert.Equal($"replica-{replica.Port}", response.Model);
        Assert.Equal(1, replica.Calls);
        // The kubelet's probes and Prometheus' scrapes present no certificate: the HTTP port is not TLS.
        using var http = replica.Host.CreateHttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync("/healthz"));
    }

    public static TheoryData<string> RefusedCallers => ["no certificate", "a certificate from another CA", "an expired certificate", "a certificate for server authentication only"];

    [Theory]
    [MemberData(nameof(RefusedCallers))]
    public async Task A_caller_without_a_valid_client_certificate_from_the_suites_CA_is_refused_before_the_service_sees_the_call(string caller)
    {
        using var serviceFiles = TlsFiles.For(_suite.Issue("reranker", Loopback), _suite);
        await using var replica = await Replica.StartAsync(settings: serviceFiles.Settings());
        using var certificate = caller switch
        {
            "no certificate" => null,
            "a certificate from another CA" => _other.Issue("intruder", [], server: false),
            "an expired certificate" => _suite.Issue("gateway", [], server: false, notAfter: DateTimeOffset.UtcNow.AddHours(-1)),
            "a certificate for server authentication only" => _suite.Issue("embedder", Loopback, client: false),
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };
        // A hand-made client that trusts the service, so only the service's own check can refuse the call.
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => ChainsTo(presented, _suite);
        if (certificate is not null) handler.SslOptions.ClientCertificates = [certificate];
        using var channel = GrpcChannel.ForAddress($"https://localhost:{replica.Port}", new GrpcChannelOptions { HttpHandler = handler });

        var refused = await Assert.ThrowsAsync<RpcException>(() => new Contracts.V1.Reranker.RerankerClient(channel).RerankAsync(Rerank).ResponseAsync);

        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        Assert.Equal(0, replica.Calls);
    }

    [Fact]
    public async Task The_gateways_client_with_a_certificate_from_another_CA_is_refused_as_unavailable()
    {
        using var serviceFiles = TlsFiles.For(_suite.Issue("reranker", Loopback), _suite);
        using var clientFiles = TlsFiles.For(_other.Issue("gateway", [], server: false), _suite);
        await using var replica = await Replica.StartAsync(settings: serviceFiles.Settings());
        await using var provider = RemoteClients.Build([RerankerAt("Address=dns:///localhost:{0}", replica), .. clientFiles.Settings()]);

        var failed = await Assert.ThrowsAsync<RagSuiteException>(() => provider.GetRequiredService<IReranker>().RerankAsync(Rerank, CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, failed.Kind);
        Assert.Equal(0, replica.Calls);
    }

    public static TheoryData<string> RefusedServices => ["a certificate for another name", "a certificate from another CA", "a certificate for client authentication only"];

    [Theory]
    [MemberData(nameof(RefusedServices))]
    public async Task The_client_refuses_a_service_whose_certificate_does_not_prove_the_name_it_dialled(string service)
    {
        var certificate = service switch
        {
            "a certificate for another name" => _suite.Issue("reranker", ["ragsuite-reranker-headless.other.svc.cluster.local"]),
            "a certificate from another CA" => _other.Issue("reranker", Loopback),
            "a certificate for client authentication only" => _suite.Issue("reranker", Loopback, server: false),
            _ => throw new ArgumentOutOfRangeException(nameof(service)),
        };
        // The service trusts both CAs, so only the client's own check can refuse.
        using var serviceFiles = TlsFiles.For(certificate, _suite, _other);
        using var clientFiles = TlsFiles.For(_suite.Issue("gateway", [], server: false), _suite);
        await using var replica = await Replica.StartAsync(settings: serviceFiles.Settings());
        await using var provider = RemoteClients.Build([RerankerAt("Address=dns:///localhost:{0}", replica), .. clientFiles.Settings()]);

        var failed = await Assert.ThrowsAsync<RagSuiteException>(() => provider.GetRequiredService<IReranker>().RerankAsync(Rerank, CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, failed.Kind);
        Assert.Equal("The reranker is unavailable: the TLS handshake with it failed (see RagSuite:ServiceTls and this process's log).", failed.Message);
        Assert.Equal(0, replica.Calls);
    }

    [Fact]
    public async Task A_running_service_uses_renewed_files_for_its_next_connections_without_a_restart()
    {
        using var next = TestAuthority.Create("Next CA");
        using var serviceFiles = TlsFiles.For(_suite.Issue("reranker", Loopback), _suite);
        using var clientFiles = TlsFiles.For(next.Issue("gateway", [], server: false), next);
        await using var replica = await Replica.StartAsync(settings: serviceFiles.Settings());
        string[] settings = [RerankerAt("Address=dns:///localhost:{0}", replica), .. clientFiles.Settings()];
        await using (var before = RemoteClients.Build(settings))
        {
            await Assert.ThrowsAsync<RagSuiteException>(() => before.GetRequiredService<IReranker>().RerankAsync(Rerank, CancellationToken.None));
        }

        // cert-manager moved the service to the next CA, as it moved the client: the service keeps running.
        serviceFiles.Write(next.Issue("reranker", Loopback), next);

        // Each try is a new client, so a new connection and a new handshake.
        await EventuallyAsync(async () =>
        {
            await using var after = RemoteClients.Build(settings);
            await after.GetRequiredService<IReranker>().RerankAsync(Rerank, CancellationToken.None);
        });
        Assert.True(replica.Calls > 0);
    }

    [Fact]
    public async Task A_running_client_uses_renewed_files_for_its_next_connections_without_a_restart()
    {
        using var next = TestAuthority.Create("Next CA");
        using var serviceFiles = TlsFiles.For(_suite.Issue("reranker", Loopback), _suite);
        using var clientFiles = TlsFiles.For(_suite.Issue("gateway", [], server: false), _suite);
        await using var replica = await Replica.StartAsync(settings: serviceFiles.Settings());
        await using var provider = RemoteClients.Build([RerankerAt("Address=dns:///localhost:{0}", replica), .. clientFiles.Settings(),
            "RagSuite:Services:Reranker:MaxReconnectBackoff=00:00:00.200"]);
        var reranker = provider.GetRequiredService<IReranker>();
        await reranker.RerankAsync(Rerank, CancellationToken.None);

        // Both sides move to the next CA; the service's pod restarts with its new files, the client's process does not, and
        // its old certificate would now be refused.
        await replica.StopAsync();
        serviceFiles.Write(next.Issue("reranker", Loopback), next);
        clientFiles.Write(next.Issue("gateway", [], server: false), next);
        await replica.StartAgainAsync();

        await EventuallyAsync(() => reranker.RerankAsync(Rerank, CancellationToken.None));
    }

    public static TheoryData<string, string> UnusableSettings => new()
    {
        { "no certificate file", "RagSuite:ServiceTls:CertificateFile must be set when RagSuite:ServiceTls:Enabled is true" },
        { "a missing CA file", "RagSuite:ServiceTls:CaFile '" },
        { "the key of another certificate", "RagSuite:ServiceTls:KeyFile '" },
        { "a key file holding a certificate", "holds no unencrypted PEM private key" },
        { "a CA file holding no certificate", "RagSuite:ServiceTls:CaFile '" },
        { "a certificate file that is not PEM", "RagSuite:ServiceTls:CertificateFile '" },
    };

    [Theory]
    [MemberData(nameof(UnusableSettings))]
    public async Task Unusable_files_stop_the_service_at_start_up_naming_the_setting(string problem, string expected)
    {
        using var files = TlsFiles.For(_suite.Issue("reranker", Loopback), _suite);
        var settings = files.Settings().ToList();
        switch (problem)
        {
            case "no certificate file": settings.RemoveAll(s => s.StartsWith("RagSuite:ServiceTls:CertificateFile=", StringComparison.Ordinal)); break;
            case "a missing CA file": settings.Add($"RagSuite:ServiceTls:CaFile={files.CaFile}.missing"); break;
            case "the key of another certificate": File.WriteAllText(files.KeyFile, _suite.Issue("other", Loopback).GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()); break;
            case "a key file holding a certificate": File.Copy(files.CertificateFile, files.KeyFile, overwrite: true); break;
            case "a CA file holding no certificate": File.WriteAllText(files.CaFile, "\n"); break;
            case "a certificate file that is not PEM": File.WriteAllBytes(files.CertificateFile, _suite.Issue("reranker", Loopback).RawData); break;
            default: throw new ArgumentOutOfRangeException(nameof(problem));
        }

        var failed = await Assert.ThrowsAsync<OptionsValidationException>(() => Replica.StartAsync(settings: [.. settings]));

        Assert.Contains(expected, failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_service_tls_on_an_http_address_stops_the_client_naming_the_setting()
    {
        using var clientFiles = TlsFiles.For(_suite.Issue("gateway", [], server: false), _suite);
        using var provider = RemoteClients.Build(["RagSuite:Services:Reranker:Address=http://127.0.0.1:8081", .. clientFiles.Settings()]);

        var failed = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IReranker>());

        Assert.Contains("RagSuite:Services:Reranker:Address must be dns:/// or https://", failed.Message, StringComparison.Ordinal);
    }

    private static string RerankerAt(string address, Replica replica) =>
        $"RagSuite:Services:Reranker:{string.Format(System.Globalization.CultureInfo.InvariantCulture, address, replica.Port)}";

    private static bool ChainsTo(X509Certificate? presented, TestAuthority authority)
    {
        if (presented is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(certificate);
    }

    /// <summary>Runs <paramref name="call"/> until it succeeds, for up to 20 s (reloads are polled, reconnects backed off).</summary>
    private static async Task EventuallyAsync(Func<Task> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (RagSuiteException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public void Dispose()
    {
        _suite.Dispose();
        _other.Dispose();
    }
}
