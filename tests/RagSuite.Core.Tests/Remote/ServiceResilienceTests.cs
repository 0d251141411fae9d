using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Remote;
using RagSuite.Core.Roles;

namespace RagSuite.Core.Tests.Remote;

/// <summary>
/// What the Polly pipeline around every service call does: which calls are retried, hedging of reads, deadlines the
/// service is told, the circuit breaker and the bulkhead, each failure named by service and never by address.
/// </summary>
public sealed class ServiceResilienceTests
{
    private static readonly RerankRequest Rerank = new() { Query = "q", Passages = { "a" } };

    [Fact]
    public async Task Reads_are_retried_up_to_max_attempts_but_creating_a_collection_is_sent_once()
    {
        await using var down = await Replica.StartAsync(behavior: ReplicaBehavior.Unavailable);
        await using var provider = RemoteClients.Build([.. RemoteClients.Replicas(RoleNames.Retriever, down), "RagSuite:Services:Retriever:MaxAttempts=3"]);
        var retriever = provider.GetRequiredService<IRetriever>();

        var search = await Assert.ThrowsAsync<RagSuiteException>(() => retriever.SearchAsync(new SearchRequest(), CancellationToken.None));
        Assert.Equal(ErrorKind.Unavailable, search.Kind);
        Assert.Equal(3, down.Calls);

        var create = await Assert.ThrowsAsync<RagSuiteException>(() => retriever.CreateCollectionAsync(new CreateCollectionRequest { Name = "c" }, CancellationToken.None));
        Assert.Equal(ErrorKind.Unavailable, create.Kind);
        Assert.Equal(4, down.Calls);
    }

    [Fact]
    public async Task A_call_that_never_reached_a_replica_is_retried_even_when_it_is_not_idempotent()
    {
        var nowhere = Testing.FreePorts.Next();
        await using var up = await Replica.StartAsync();
        await using var provider = RemoteClients.Build(
            $"RagSuite:Services:Retriever:Addresses:0=http://127.0.0.1:{nowhere}", $"RagSuite:Services:Retriever:Addresses:1={up.Address}");
        var retriever = provider.GetRequiredService<IRetriever>();

        for (var i = 0; i < 6; i++) await retriever.CreateCollectionAsync(new CreateCollectionRequest { Name = $"c{i}" }, CancellationToken.None);

        Assert.Equal(6, up.Calls);
    }

    [Fact]
    public async Task A_stalled_read_is_hedged_to_another_replica()
    {
        await using var stalled = await Replica.StartAsync();
        await using var up = await Replica.StartAsync();
        await using var provider = RemoteClients.Build([.. RemoteClients.Replicas(RoleNames.Embedder, stalled, up),
            "RagSuite:Services:Embedder:HedgingDelay=00:00:00.100", "RagSuite:Services:Embedder:AttemptTimeout=00:01:00"]);
        var embedder = provider.GetRequiredService<IEmbedder>();

        await WarmUpAsync(() => embedder.EmbedAsync(new EmbedRequest { Texts = { "q" } }, CancellationToken.None), stalled, up);
        stalled.Behavior = ReplicaBehavior.Stall;

        for (var i = 0; i < 6; i++)
        {
            var response = await embedder.EmbedAsync(new EmbedRequest { Texts = { "q" } }, CancellationToken.None);
            Assert.Equal($"replica-{up.Port}", response.DenseModel);
        }
        Assert.True(stalled.Calls > 0, "the stalled replica was never tried");
    }

    [Fact]
    public async Task A_stalled_reranker_attempt_is_given_up_at_its_attempt_timeout_and_retried()
    {
        await using var stalled = await Replica.StartAsync();
        await using var up = await Replica.StartAsync();
        await using var provider = RemoteClients.Build([.. RemoteClients.Replicas(RoleNames.Reranker, stalled, up),
            "RagSuite:Services:Reranker:AttemptTimeout=00:00:00.200"]);
        var reranker = provider.GetRequiredService<IReranker>();
        await WarmUpAsync(() => reranker.RerankAsync(Rerank, CancellationToken.None), stalled, up);
        stalled.Behavior = ReplicaBehavior.Stall;

        for (var i = 0; i < 4; i++) Assert.Equal($"replica-{up.Port}", (await reranker.RerankAsync(Rerank, CancellationToken.None)).Model);

        Assert.True(stalled.Calls > 0, "the stalled replica was never tried");
        Assert.InRange(stalled.LastDeadline!.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task The_service_is_told_the_deadline_left_to_the_request()
    {
        await using var replica = await Replica.StartAsync();
        await using var provider = RemoteClients.Build(RemoteClients.Replicas(RoleNames.Reranker, replica));
        var reranker = provider.GetRequiredService<IReranker>();

        await reranker.RerankAsync(Rerank, CancellationToken.None);
        Assert.InRange(replica.LastDeadline!.Value, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

        await Task.Run(async () =>
        {
            RequestDeadline.Set(DateTime.UtcNow.AddSeconds(2));
            await reranker.RerankAsync(Rerank, CancellationToken.None);
        });
        Assert.InRange(replica.LastDeadline!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_and_calls_then_fail_at_once_naming_the_service()
    {
        await using var broken = await Replica.StartAsync(behavior: ReplicaBehavior.Broken);
        await using var provider = RemoteClients.Build([.. RemoteClients.Replicas(RoleNames.Reranker, broken),
            "RagSuite:Services:Reranker:BreakerMinimumCalls=4", "RagSuite:Services:Reranker:BreakDuration=00:01:00"]);
        var reranker = provider.GetRequiredService<IReranker>();

        for (var i = 0; i < 4; i++)
        {
            var failed = await Assert.ThrowsAsync<RagSuiteException>(() => reranker.RerankAsync(Rerank, CancellationToken.None));
            Assert.Equal(ErrorKind.Internal, failed.Kind);
        }
        var open = await Assert.ThrowsAsync<RagSuiteException>(() => reranker.RerankAsync(Rerank, CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, open.Kind);
        Assert.Equal("The reranker is unavailable: its circuit is open after repeated failures.", open.Message);
        Assert.Equal(TimeSpan.FromMinutes(1), open.RetryAfter);
        Assert.Equal(4, broken.Calls);
    }

    [Fact]
    public async Task Calls_beyond_the_bulkhead_and_its_queue_fail_at_once_as_unavailable()
    {
        await using var stalled = await Replica.StartAsync(behavior: ReplicaBehavior.Stall);
        await using var provider = RemoteClients.Build([.. RemoteClients.Replicas(RoleNames.Reranker, stalled),
            "RagSuite:Services:Reranker:MaxConcurrentCalls=1", "RagSuite:Services:Reranker:MaxQueuedCalls=0"]);
        var reranker = provider.GetRequiredService<IReranker>();
        using var cancel = new CancellationTokenSource();

        var first = reranker.RerankAsync(Rerank, cancel.Token);
        while (stalled.Calls == 0) await Task.Delay(10);
        var second = await Assert.ThrowsAsync<RagSuiteException>(() => reranker.RerankAsync(Rerank, CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, second.Kind);
        Assert.Equal("The reranker is at its concurrency limit (1 calls in flight, 0 waiting).", second.Message);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    [Fact]
    public async Task A_call_past_its_total_timeout_fails_as_late_naming_the_service_not_its_address()
    {
        await using var stalled = await Replica.StartAsync(behavior: ReplicaBehavior.Stall);
        await using var provider = RemoteClients.Build([.. RemoteClients.Replicas(RoleNames.Reranker, stalled), "RagSuite:Services:Reranker:Timeout=00:00:00.300"]);
        var reranker = provider.GetRequiredService<IReranker>();

        var late = await Assert.ThrowsAsync<RagSuiteException>(() => reranker.RerankAsync(Rerank, CancellationToken.None));

        Assert.Equal(ErrorKind.DeadlineExceeded, late.Kind);
        Assert.Equal("The reranker did not answer in time.", late.Message);
    }

    /// <summary>Calls until both replicas have answered one, so both connections are up before a test stalls one.</summary>
    private static async Task WarmUpAsync(Func<Task> call, Replica a, Replica b)
    {
        for (var i = 0; i < 200 && (a.Calls == 0 || b.Calls == 0); i++) await call();
        Assert.True(a.Calls > 0 && b.Calls > 0, "the calls never reached both replicas");
    }

    [Theory]
    [InlineData("RagSuite:Services:Reranker:Address=ftp://example")]
    [InlineData("RagSuite:Services:Reranker:Address=relative/path")]
    [InlineData("RagSuite:Services:Reranker:Addresses:0=dns:///r:8081")]
    [InlineData("RagSuite:Services:Reranker:Addresses:0=http://a:1", "RagSuite:Services:Reranker:Addresses:1=https://b:1")]
    [InlineData("RagSuite:Services:Reranker:Addresses:0=http://a:1/path")]
    [InlineData("RagSuite:Services:Reranker:Address=http://a:1", "RagSuite:Services:Reranker:Addresses:0=http://b:1")]
    public void Invalid_addresses_are_refused_naming_the_section(params string[] settings)
    {
        using var provider = RemoteClients.Build(settings);

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IReranker>());

        Assert.Contains("RagSuite:Services:Reranker:Address", string.Join(" ", refused.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxAttempts=0", "MaxAttempts")]
    [InlineData("AttemptTimeout=00:00:00.001", "AttemptTimeout")]
    [InlineData("BreakerFailureRatio=2", "BreakerFailureRatio")]
    [InlineData("MaxConcurrentCalls=0", "MaxConcurrentCalls")]
    [InlineData("HedgingDelay=-00:00:01", "HedgingDelay")]
    public void Out_of_range_settings_are_refused_naming_them(string setting, string named)
    {
        using var provider = RemoteClients.Build("RagSuite:Services:Reranker:Address=http://a:1", $"RagSuite:Services:Reranker:{setting}");

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IReranker>());

        Assert.Contains(named, string.Join(" ", refused.Failures), StringComparison.Ordinal);
    }
}
