using Microsoft.Extensions.DependencyInjection;
using RagSuite.Contracts.V1;
using RagSuite.Core.Remote;
using RagSuite.Core.Roles;
using RagSuite.Testing;

namespace RagSuite.Core.Tests.Remote;

public sealed class EmbedderClientTests
{
    // No hedging: a slow first call (JIT on a busy machine) would otherwise reach the replica twice and be counted so.
    private static string[] Settings(Replica replica, params string[] more) =>
        [.. RemoteClients.Replicas(RoleNames.Embedder, replica), $"{RemoteServiceOptions.Section(RoleNames.Embedder)}:HedgingDelay=00:00:00", .. more];

    private static EmbedRequest Question(string text = "wind tunnel tests of wind loads") => new() { Texts = { text }, Kind = InputKind.Query };

    [Fact]
    public async Task Questions_are_embedded_here_while_the_embedder_has_no_dense_model_until_the_memory_expires()
    {
        await using var replica = await Replica.StartAsync();
        replica.Dense = false;
        var clock = new ManualClock();
        await using var provider = RemoteClients.Build(clock, Settings(replica));
        var embedder = provider.GetRequiredService<IEmbedder>();

        var asked = await embedder.EmbedAsync(Question(), CancellationToken.None);
        var embeddedHere = await embedder.EmbedAsync(Question(), CancellationToken.None);

        Assert.Equal(1, replica.Calls);
        Assert.Equal(asked, embeddedHere);
        Assert.Equal($"replica {replica.Port} has no dense model", embeddedHere.DenseUnavailableReason);
        Assert.NotEmpty(embeddedHere.Embeddings[0].Sparse.Indices);

        await embedder.EmbedAsync(new EmbedRequest { Texts = { "a passage" }, Kind = InputKind.Passage }, CancellationToken.None);
        Assert.Equal(2, replica.Calls);

        clock.Advance(new RemoteServiceOptions().ConfigurationMemory);
        replica.Dense = true;
        await embedder.EmbedAsync(Question(), CancellationToken.None);
        await embedder.EmbedAsync(Question(), CancellationToken.None);
        Assert.Equal(4, replica.Calls);
    }

    [Fact]
    public async Task Anything_but_one_question_is_still_sent_to_an_embedder_without_a_dense_model()
    {
        // The embedder validates these (blank texts, batch limits, a missing kind); the client does not guess its answer.
        await using var replica = await Replica.StartAsync();
        replica.Dense = false;
        await using var provider = RemoteClients.Build(new ManualClock(), Settings(replica));
        var embedder = provider.GetRequiredService<IEmbedder>();
        await embedder.EmbedAsync(Question(), CancellationToken.None);

        await embedder.EmbedAsync(Question("  "), CancellationToken.None);
        await embedder.EmbedAsync(new EmbedRequest { Texts = { "one", "two" }, Kind = InputKind.Query }, CancellationToken.None);
        await embedder.EmbedAsync(new EmbedRequest { Texts = { "no kind" } }, CancellationToken.None);

        Assert.Equal(4, replica.Calls);
    }

    [Fact]
    public async Task An_embedder_with_a_dense_model_is_asked_for_every_question()
    {
        await using var replica = await Replica.StartAsync();
        await using var provider = RemoteClients.Build(new ManualClock(), Settings(replica));
        var embedder = provider.GetRequiredService<IEmbedder>();

        for (var i = 0; i < 3; i++) Assert.NotEmpty((await embedder.EmbedAsync(Question(), CancellationToken.None)).Embeddings[0].Dense);

        Assert.Equal(3, replica.Calls);
    }

    [Fact]
    public async Task With_no_configuration_memory_every_question_is_sent_to_the_embedder()
    {
        await using var replica = await Replica.StartAsync();
        replica.Dense = false;
        await using var provider = RemoteClients.Build(new ManualClock(),
            Settings(replica, $"{RemoteServiceOptions.Section(RoleNames.Embedder)}:ConfigurationMemory=00:00:00"));
        var embedder = provider.GetRequiredService<IEmbedder>();

        for (var i = 0; i < 3; i++) await embedder.EmbedAsync(Question(), CancellationToken.None);

        Assert.Equal(3, replica.Calls);
    }
}
