using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Errors;
using RagSuite.Inference.Batching;

namespace RagSuite.Inference.Tests.Batching;

/// <summary>
/// The batcher's mechanics with a stand-in model whose answer for an item is known (its value doubled) and whose
/// runs can be held, so every interleaving the tests need is forced rather than hoped for.
/// </summary>
public sealed class InferenceBatcherTests : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ConcurrentQueue<Item[]> _batches = new();
    private readonly ConcurrentQueue<Item[]> _ran = new();
    private readonly ManualResetEventSlim _open = new(true);

    /// <summary>An input of a given length in tokens; the model's answer is <see cref="Value"/> × 2. Batches are recorded when prepared and when run.</summary>
    public sealed record Item(int Value, int Tokens, bool Poison = false);

    private InferenceBatcher<Item, int> Batcher(BatchingOptions options) => new("stand-in", options, i => i.Tokens, items =>
    {
        var batch = items.ToArray();
        _batches.Enqueue(batch);
        return () =>
        {
            // Bounded, so a failed assertion while the model is held cannot leave the batcher's disposal waiting forever.
            if (!_open.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the test never released the model");
            _ran.Enqueue(batch);
            if (batch.Any(i => i.Poison)) throw new InvalidOperationException("the model failed on this batch");
            return [.. batch.Select(i => i.Value * 2)];
        };
    }, new EncoderMetrics(_services.GetRequiredService<IMeterFactory>()));

    [Fact]
    public async Task Sixty_four_concurrent_callers_each_get_their_own_results_in_order()
    {
        var options = new BatchingOptions { MaxBatchTokens = 256, MaxBatchSize = 8, MaxWait = TimeSpan.FromMilliseconds(5) };
        await using var batcher = Batcher(options);
        var random = new Random(3);
        var requests = Enumerable.Range(0, 64)
            .Select(caller => Enumerable.Range(0, 1 + caller % 3).Select(i => new Item(caller * 10 + i, random.Next(1, 60))).ToArray())
            .ToArray();

        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => batcher.SubmitAsync(r, CancellationToken.None))));

        for (var caller = 0; caller < requests.Length; caller++)
        {
            Assert.Equal(requests[caller].Select(i => i.Value * 2), results[caller]);
        }
        Assert.Equal(requests.Sum(r => r.Length), _batches.Sum(b => b.Length));
        Assert.All(_batches, b => Assert.True(b.Length <= options.MaxBatchSize));
        Assert.All(_batches, b => Assert.True(b.Length == 1 || b.Length * b.Max(i => i.Tokens) <= options.MaxBatchTokens,
            $"a batch of {b.Length} items up to {b.Max(i => i.Tokens)} tokens is over the budget"));
        Assert.True(_batches.Count < requests.Sum(r => r.Length), "concurrent callers should share batches");
        Assert.Equal(0, batcher.QueuedTexts);
    }

    [Fact]
    public async Task Waiting_items_are_batched_by_length_around_the_oldest()
    {
        // A long MaxWait and room for eight: the second batch forms only once the waiting items add up to the token
        // budget (seven of the eight), and whether the eighth is in by then, the same four are chosen.
        await using var batcher = Batcher(new BatchingOptions { MaxBatchTokens = 40, MaxBatchSize = 8, MaxWait = TimeSpan.FromSeconds(1) });
        _open.Reset(); // hold the model
        var first = batcher.SubmitAsync([new Item(0, 40)], CancellationToken.None);
        await WaitUntil(() => !_batches.IsEmpty);
        int[] lengths = [9, 1, 10, 2, 9, 1, 10, 2];
        var waiting = lengths.Select((t, i) => batcher.SubmitAsync([new Item(i + 1, t)], CancellationToken.None)).ToArray();
        await WaitUntil(() => _batches.Count >= 2); // the next batch is prepared while the first runs

        _open.Set();
        await Task.WhenAll([first, .. waiting]);

        var batches = _batches.Skip(1).ToArray();
        Assert.Contains(batches[0], i => i.Value == 1); // the oldest waiting item is served first
        Assert.All(batches, b => Assert.True(b.Max(i => i.Tokens) - b.Min(i => i.Tokens) <= 1, $"mixed lengths {string.Join(",", b.Select(i => i.Tokens))}"));
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_with_RESOURCE_EXHAUSTED_and_a_retry_hint()
    {
        await using var batcher = Batcher(new BatchingOptions { MaxBatchSize = 1, MaxQueuedTexts = 3, MaxWait = TimeSpan.Zero });
        _open.Reset();
        var running = batcher.SubmitAsync([new Item(1, 5)], CancellationToken.None);
        await WaitUntil(() => !_batches.IsEmpty && batcher.QueuedTexts == 0);
        var queued = batcher.SubmitAsync([new Item(2, 5), new Item(3, 5), new Item(4, 5)], CancellationToken.None);
        await WaitUntil(() => _batches.Count >= 2); // 2 (and perhaps 3) already in prepared batches, waiting for the model

        // However far the batch loop has got with 2, 3 and 4, they are still waiting for the model, so 5 is refused at once.
        var refusal = batcher.SubmitAsync([new Item(5, 5)], CancellationToken.None);

        Assert.True(refusal.IsFaulted, "a request over the queue limit must be refused at once, not queued");
        var refused = Assert.IsType<RagSuiteException>(refusal.Exception!.InnerException);
        Assert.Equal(ErrorKind.ResourceExhausted, refused.Kind);
        Assert.NotNull(refused.RetryAfter);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));
        Assert.Contains("stand-in", refused.Message);
        _open.Set();
        Assert.Equal(new[] { 4, 6, 8 }, await queued);
        Assert.Equal(new[] { 2 }, await running);
    }

    [Fact]
    public async Task A_cancelled_caller_is_answered_at_once_and_its_items_never_reach_the_model()
    {
        await using var batcher = Batcher(new BatchingOptions { MaxBatchSize = 1, MaxWait = TimeSpan.Zero });
        _open.Reset();
        var running = batcher.SubmitAsync([new Item(1, 5)], CancellationToken.None);
        await WaitUntil(() => !_batches.IsEmpty);
        var next = batcher.SubmitAsync([new Item(2, 5)], CancellationToken.None);
        await WaitUntil(() => _batches.Count == 2); // prepared and waiting for the model
        using var cancel = new CancellationTokenSource();
        var abandoned = batcher.SubmitAsync([new Item(3, 5), new Item(4, 5)], cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        _open.Set();
        Assert.Equal(new[] { 2 }, await running);
        Assert.Equal(new[] { 4 }, await next);
        var last = batcher.SubmitAsync([new Item(5, 5)], CancellationToken.None);
        Assert.Equal(new[] { 10 }, await last);
        Assert.DoesNotContain(_ran.SelectMany(b => b), i => i.Value is 3 or 4);
    }

    [Fact]
    public async Task A_model_failure_fails_only_the_callers_in_that_batch()
    {
        await using var batcher = Batcher(new BatchingOptions { MaxBatchSize = 1, MaxWait = TimeSpan.Zero });

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.SubmitAsync([new Item(1, 3, Poison: true)], CancellationToken.None));

        Assert.Equal(new[] { 4 }, await batcher.SubmitAsync([new Item(2, 3)], CancellationToken.None));
    }

    [Fact]
    public async Task An_empty_request_needs_no_model()
    {
        await using var batcher = Batcher(new BatchingOptions());

        Assert.Empty(await batcher.SubmitAsync([], CancellationToken.None));
        Assert.Empty(_batches);
    }

    [Fact]
    public async Task Shutting_down_fails_waiting_callers_with_UNAVAILABLE_and_refuses_new_ones()
    {
        var batcher = Batcher(new BatchingOptions { MaxBatchSize = 1, MaxWait = TimeSpan.Zero });
        _open.Reset();
        var running = batcher.SubmitAsync([new Item(1, 5)], CancellationToken.None);
        await WaitUntil(() => !_batches.IsEmpty);
        var waiting = Enumerable.Range(2, 3).Select(v => batcher.SubmitAsync([new Item(v, 5)], CancellationToken.None)).ToArray();

        var disposing = batcher.DisposeAsync().AsTask();
        _open.Set();
        await disposing;

        Assert.Equal(new[] { 2 }, await running);
        foreach (var task in waiting)
        {
            var failure = await Record.ExceptionAsync(() => task);
            // A batch already prepared when the shutdown began still runs; the rest are refused.
            if (failure is not null) Assert.Equal(ErrorKind.Unavailable, Assert.IsType<RagSuiteException>(failure).Kind);
        }
        Assert.Contains(waiting, t => t.IsFaulted);
        Assert.Equal(ErrorKind.Unavailable, (await Assert.ThrowsAsync<RagSuiteException>(() => batcher.SubmitAsync([new Item(9, 5)], CancellationToken.None))).Kind);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(5, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _open.Set();
        await _services.DisposeAsync();
    }
}
