using Microsoft.Extensions.DependencyInjection;
using RagSuite.Contracts.V1;
using RagSuite.Core.Remote;
using RagSuite.Core.Roles;

namespace RagSuite.Core.Tests.Remote;

/// <summary>
/// Client-side balancing over a role's replicas: calls spread round-robin, a replica that stops is skipped without a
/// failed call, and one that starts again on its address takes traffic within seconds.
/// </summary>
public sealed class ReplicaBalancingTests
{
    private static readonly RerankRequest Request = new() { Query = "q", Passages = { "a", "b" } };

    [Fact]
    public async Task Calls_spread_over_every_listed_replica()
    {
        await using var a = await Replica.StartAsync();
        await using var b = await Replica.StartAsync();
        await using var provider = RemoteClients.Build(RemoteClients.Replicas(RoleNames.Reranker, a, b));
        var reranker = provider.GetRequiredService<IReranker>();

        for (var i = 0; i < 40; i++) await reranker.RerankAsync(Request, CancellationToken.None);

        Assert.Equal(40, a.Calls + b.Calls);
        // Round-robin once both are connected; the first calls may all go to whichever connected first.
        Assert.True(a.Calls >= 10 && b.Calls >= 10, $"calls: {a.Calls} and {b.Calls}");
    }

    [Fact]
    public async Task A_stopped_replica_is_skipped_and_no_call_fails_and_it_takes_traffic_again_once_restarted()
    {
        await using var a = await Replica.StartAsync();
        await using var b = await Replica.StartAsync();
        await using var provider = RemoteClients.Build([.. RemoteClients.Replicas(RoleNames.Reranker, a, b), "RagSuite:Services:Reranker:MaxReconnectBackoff=00:00:00.500"]);
        var reranker = provider.GetRequiredService<IReranker>();
        for (var i = 0; i < 10; i++) await reranker.RerankAsync(Request, CancellationToken.None);

        await a.StopAsync();
        var before = b.Calls;
        for (var i = 0; i < 30; i++) await reranker.RerankAsync(Request, CancellationToken.None);
        Assert.Equal(before + 30, b.Calls);

        await a.StartAgainAsync();
        var restarted = a.Calls;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (a.Calls == restarted && DateTime.UtcNow < deadline)
        {
            await reranker.RerankAsync(Request, CancellationToken.None);
            await Task.Delay(20);
        }
        Assert.True(a.Calls > restarted, "the restarted replica took no call within 30 s");
    }

    [Fact]
    public async Task A_call_to_a_replica_that_answers_unavailable_is_retried_on_another()
    {
        await using var down = await Replica.StartAsync(behavior: ReplicaBehavior.Unavailable);
        await using var up = await Replica.StartAsync();
        await using var provider = RemoteClients.Build(RemoteClients.Replicas(RoleNames.Reranker, down, up));
        var reranker = provider.GetRequiredService<IReranker>();

        for (var i = 0; i < 20; i++)
        {
            var response = await reranker.RerankAsync(Request, CancellationToken.None);
            Assert.Equal($"replica-{up.Port}", response.Model);
        }
        Assert.True(down.Calls > 0, "the failing replica was never tried");
    }
}
