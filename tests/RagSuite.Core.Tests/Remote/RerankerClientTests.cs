using Microsoft.Extensions.DependencyInjection;
using RagSuite.Contracts.V1;
using RagSuite.Core.Remote;
using RagSuite.Core.Roles;
using RagSuite.Testing;

namespace RagSuite.Core.Tests.Remote;

public sealed class RerankerClientTests
{
    private static RerankRequest Request(RerankMode mode) => new()
    {
        Query = "q", Passages = { "a", "b", "c" }, PriorScores = { 3f, 2f, 1f }, Mode = mode,
    };

    [Fact]
    public async Task Auto_that_ran_none_is_answered_in_retrieval_order_without_a_call_until_the_memory_expires()
    {
        await using var replica = await Replica.StartAsync();
        replica.RerankMode = RerankMode.None;
        var clock = new ManualClock();
        await using var provider = RemoteClients.Build(clock, RemoteClients.Replicas(RoleNames.Reranker, replica));
        var reranker = provider.GetRequiredService<IReranker>();

        var asked = await reranker.RerankAsync(Request(RerankMode.Auto), CancellationToken.None);
        var answeredHere = await reranker.RerankAsync(Request(RerankMode.Auto), CancellationToken.None);

        Assert.Equal(1, replica.Calls);
        Assert.Equal(RerankMode.None, answeredHere.Mode);
        Assert.Equal(asked.Note, answeredHere.Note);
        Assert.Equal([0, 1, 2], answeredHere.Scores.Select(s => s.Index));
        Assert.Equal([3f, 2f, 1f], answeredHere.Scores.Select(s => s.Score));

        await reranker.RerankAsync(Request(RerankMode.Lexical), CancellationToken.None);
        Assert.Equal(2, replica.Calls);

        clock.Advance(new RemoteServiceOptions().ConfigurationMemory);
        await reranker.RerankAsync(Request(RerankMode.Unspecified), CancellationToken.None);
        Assert.Equal(3, replica.Calls);
    }

    [Fact]
    public async Task Auto_is_asked_of_the_reranker_every_time_while_it_reranks()
    {
        await using var replica = await Replica.StartAsync();
        await using var provider = RemoteClients.Build(new ManualClock(), RemoteClients.Replicas(RoleNames.Reranker, replica));
        var reranker = provider.GetRequiredService<IReranker>();

        for (var i = 0; i < 3; i++) Assert.Equal(RerankMode.Lexical, (await reranker.RerankAsync(Request(RerankMode.Auto), CancellationToken.None)).Mode);

        Assert.Equal(3, replica.Calls);
    }

    [Fact]
    public async Task With_no_configuration_memory_auto_is_asked_of_the_reranker_every_time()
    {
        await using var replica = await Replica.StartAsync();
        replica.RerankMode = RerankMode.None;
        await using var provider = RemoteClients.Build(new ManualClock(),
            [.. RemoteClients.Replicas(RoleNames.Reranker, replica), $"{RemoteServiceOptions.Section(RoleNames.Reranker)}:ConfigurationMemory=00:00:00"]);
        var reranker = provider.GetRequiredService<IReranker>();

        for (var i = 0; i < 3; i++) await reranker.RerankAsync(Request(RerankMode.Auto), CancellationToken.None);

        Assert.Equal(3, replica.Calls);
    }
}
