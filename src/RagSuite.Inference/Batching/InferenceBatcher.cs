using System.Diagnostics;
using System.Threading.Channels;
using RagSuite.Core.Errors;

namespace RagSuite.Inference.Batching;

/// <summary>
/// Dynamic batching for one model, in the manner of text-embeddings-inference. Callers submit their
/// items and await a completion; admission is bounded (a request that would overfill the queue is
/// refused at once with a retry hint). One loop owns the queue: it lets a batch gather for up to
/// <see cref="BatchingOptions.MaxWait"/>, then serves the oldest waiting item together with the items
/// nearest it in length, within the token and size budgets, and prepares the batch's tensors while
/// the previous batch runs. A second loop owns the model and runs one prepared batch at a time. Items
/// whose caller went away are dropped before they cost inference.
/// </summary>
/// <typeparam name="TItem">A tokenised input.</typeparam>
/// <typeparam name="TResult">What the model makes of one input.</typeparam>
public sealed class InferenceBatcher<TItem, TResult> : IAsyncDisposable
{
    private readonly string _model;
    private readonly BatchingOptions _options;
    private readonly Func<TItem, int> _tokens;
    private readonly Func<IReadOnlyList<TItem>, Func<TResult[]>> _prepare;
    private readonly EncoderMetrics _metrics;
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ReadyBatch> _ready = Channel.CreateBounded<ReadyBatch>(
        new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _batching;
    private readonly Task _inference;
    private int _queuedTexts;
    private long _queuedTokens;
    private long _sequence;
    private double _tokensPerSecond;

    /// <param name="model">The model's name, for metrics and messages.</param>
    /// <param name="options">The batching budget.</param>
    /// <param name="tokens">The tokens an item costs (its padded width in a batch).</param>
    /// <param name="prepare">Builds a batch's inputs and returns the call that runs the model on them.</param>
    /// <param name="metrics">Where batching is reported.</param>
    public InferenceBatcher(string model, BatchingOptions options, Func<TItem, int> tokens,
        Func<IReadOnlyList<TItem>, Func<TResult[]>> prepare, EncoderMetrics metrics)
    {
        _model = model;
        _options = options;
        _tokens = tokens;
        _prepare = prepare;
        _metrics = metrics;
        metrics.TrackQueue(model, () => Volatile.Read(ref _queuedTexts));
        // The loops outlive whichever request happened to create the batcher; without this they would inherit its
        // Activity.Current and every batch span would claim to belong to that first request's trace.
        using (ExecutionContext.SuppressFlow())
        {
            _batching = Task.Run(BatchLoopAsync);
            _inference = Task.Run(InferenceLoopAsync);
        }
    }

    /// <summary>Texts admitted and not yet started on the model (queued, or in a batch prepared and waiting to run).</summary>
    public int QueuedTexts => Volatile.Read(ref _queuedTexts);

    /// <summary>Runs <paramref name="items"/> through the model in whatever batches serve everyone best; results in order.</summary>
    /// <exception cref="RagSuiteException">ResourceExhausted when the queue is full; Unavailable when the model is shutting down.</exception>
    public Task<TResult[]> SubmitAsync(IReadOnlyList<TItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return Task.FromResult(Array.Empty<TResult>());
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<TResult[]>(cancellationToken);
        if (_stop.IsCancellationRequested) return Task.FromException<TResult[]>(ShuttingDown());
        if (Interlocked.Add(ref _queuedTexts, items.Count) > _options.MaxQueuedTexts)
        {
            Interlocked.Add(ref _queuedTexts, -items.Count);
            _metrics.RecordRejected(_model);
            return Task.FromException<TResult[]>(RagSuiteException.Exhausted(
                $"Model '{_model}' has {QueuedTexts} texts waiting, its limit is {_options.MaxQueuedTexts}; retry shortly or send fewer texts at once.",
                RetryHint()));
        }

        var request = new Request(items.Count, Stopwatch.GetTimestamp(), Activity.Current?.Context ?? default, cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            var tokens = _tokens(items[i]);
            Interlocked.Add(ref _queuedTokens, tokens);
            if (!_queue.Writer.TryWrite(new Entry(request, i, items[i], tokens, Interlocked.Increment(ref _sequence))))
            {
                request.Fail(ShuttingDown());
                break;
            }
        }
        return request.Task;
    }

    private async Task BatchLoopAsync()
    {
        var pending = new List<Entry>();
        var reader = _queue.Reader;
        try
        {
            while (pending.Count > 0 || await reader.WaitToReadAsync(_stop.Token))
            {
                Drain(reader, pending);
                await GatherAsync(reader, pending);
                DropAbandoned(pending);
                if (pending.Count == 0) continue;

                var batch = TakeBatch(pending);
                Func<TResult[]> run;
                try
                {
                    run = _prepare([.. batch.Select(e => e.Item)]);
                }
                catch (Exception e)
                {
                    foreach (var entry in batch)
                    {
                        Dequeued(entry);
                        entry.Request.Fail(e);
                    }
                    continue;
                }
                try
                {
                    await _ready.Writer.WriteAsync(new ReadyBatch(batch, run), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    foreach (var entry in batch) entry.Request.Fail(ShuttingDown());
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued fails below.
        }
        finally
        {
            _ready.Writer.TryComplete();
            Drain(reader, pending);
            foreach (var entry in pending) entry.Request.Fail(ShuttingDown());
        }
    }

    /// <summary>While the batch being formed is not full, waits for more items until its oldest has waited MaxWait.</summary>
    private async Task GatherAsync(ChannelReader<Entry> reader, List<Entry> pending)
    {
        if (pending.Count == 0 || _options.MaxWait <= TimeSpan.Zero) return;
        var oldest = pending.Min(e => e.Request.Enqueued);
        while (!CanFill(pending))
        {
            var remaining = _options.MaxWait - Stopwatch.GetElapsedTime(oldest);
            if (remaining <= TimeSpan.Zero) return;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token)) return;
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                return;
            }
            Drain(reader, pending);
        }
    }

    private bool CanFill(List<Entry> pending) =>
        pending.Count >= _options.MaxBatchSize || pending.Sum(e => (long)e.Tokens) >= _options.MaxBatchTokens;

    private static void Drain(ChannelReader<Entry> reader, List<Entry> pending)
    {
        while (reader.TryRead(out var entry)) pending.Add(entry);
    }

    private void DropAbandoned(List<Entry> pending)
    {
        var dropped = pending.RemoveAll(e =>
        {
            if (!e.Request.IsFinished) return false;
            Dequeued(e);
            return true;
        });
        if (dropped > 0) _metrics.RecordDropped(_model, dropped);
    }

    /// <summary>
    /// The oldest waiting item and its neighbours by length, within the budgets, each step taking the neighbour
    /// that adds the least padding. Serving the oldest first bounds every item's wait; grouping by length keeps
    /// padding, which is wasted work, small.
    /// </summary>
    private List<Entry> TakeBatch(List<Entry> pending)
    {
        pending.Sort((a, b) => a.Tokens != b.Tokens ? a.Tokens.CompareTo(b.Tokens) : a.Sequence.CompareTo(b.Sequence));
        var oldest = 0;
        for (var i = 1; i < pending.Count; i++)
        {
            if (pending[i].Sequence < pending[oldest].Sequence) oldest = i;
        }
        int low = oldest, high = oldest;
        while (high - low + 1 < _options.MaxBatchSize)
        {
            var count = high - low + 1;
            var widest = pending[high].Tokens;
            // A shorter neighbour pads itself to the widest; a longer one pads every row already in.
            var shorter = low > 0 && (long)(count + 1) * widest <= _options.MaxBatchTokens ? widest - pending[low - 1].Tokens : long.MaxValue;
            var longer = high + 1 < pending.Count && (long)(count + 1) * pending[high + 1].Tokens <= _options.MaxBatchTokens
                ? (long)count * (pending[high + 1].Tokens - widest)
                : long.MaxValue;
            if (shorter == long.MaxValue && longer == long.MaxValue) break;
            if (shorter <= longer) low--;
            else high++;
        }
        var batch = pending.GetRange(low, high - low + 1);
        pending.RemoveRange(low, high - low + 1);
        return batch;
    }

    private void Dequeued(Entry entry)
    {
        Interlocked.Decrement(ref _queuedTexts);
        Interlocked.Add(ref _queuedTokens, -entry.Tokens);
    }

    private async Task InferenceLoopAsync()
    {
        await foreach (var batch in _ready.Reader.ReadAllAsync())
        {
            // Items stay counted against admission until the model starts on them, so a prepared batch is still waiting work.
            foreach (var entry in batch.Entries) Dequeued(entry);
            var live = batch.Entries.Count(e => !e.Request.IsFinished);
            if (live == 0)
            {
                _metrics.RecordDropped(_model, batch.Entries.Count);
                continue;
            }
            var started = Stopwatch.GetTimestamp();
            foreach (var entry in batch.Entries) _metrics.RecordQueued(_model, Stopwatch.GetElapsedTime(entry.Request.Enqueued, started));
            TResult[] results;
            using (var span = StartBatchSpan(batch.Entries))
            {
                try
                {
                    results = batch.Run();
                }
                catch (Exception e)
                {
                    span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                    foreach (var entry in batch.Entries) entry.Request.Fail(e);
                    continue;
                }
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            var realTokens = batch.Entries.Sum(e => e.Tokens);
            _metrics.RecordBatch(_model, batch.Entries.Count, batch.Entries.Count * batch.Entries.Max(e => e.Tokens), realTokens, elapsed);
            var rate = realTokens / Math.Max(elapsed.TotalSeconds, 1e-6);
            Volatile.Write(ref _tokensPerSecond, _tokensPerSecond == 0 ? rate : 0.8 * _tokensPerSecond + 0.2 * rate);
            for (var i = 0; i < batch.Entries.Count; i++) batch.Entries[i].Request.Complete(batch.Entries[i].Index, results[i]);
        }
    }

    /// <summary>
    /// A root span for one model run, linked to the span of every request with items in it. Links rather than a parent:
    /// a batch serves several requests, usually from different traces, and a span has one parent; making it the child of
    /// one would hide it from the others' traces and charge that one with everyone's work. Each link still leads from a
    /// request's trace to the batch that served it, and from the batch to all it served.
    /// </summary>
    private Activity? StartBatchSpan(List<Entry> entries)
    {
        if (!InferenceTracing.Source.HasListeners()) return null;
        var links = entries.Select(e => e.Request.Caller).Where(c => c != default).Distinct()
            .Select(c => new ActivityLink(c)).ToList();
        var span = InferenceTracing.Source.StartActivity(InferenceTracing.BatchSpan, ActivityKind.Internal,
            parentContext: default, tags: null, links: links);
        if (span is null) return null;
        span.SetTag("ragsuite.model", _model);
        span.SetTag("ragsuite.batch.size", entries.Count);
        span.SetTag("ragsuite.batch.requests", links.Count);
        span.SetTag("ragsuite.batch.padded_tokens", entries.Count * entries.Max(e => e.Tokens));
        return span;
    }

    /// <summary>How long the queued work should take at the recently measured speed (50 ms to 30 s).</summary>
    private TimeSpan RetryHint()
    {
        var rate = Volatile.Read(ref _tokensPerSecond);
        var seconds = rate > 0 ? Interlocked.Read(ref _queuedTokens) / rate : 1;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0.05, 30));
    }

    private RagSuiteException ShuttingDown() => new(ErrorKind.Unavailable, $"Model '{_model}' is shutting down.");

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAll(_batching, _inference);
        _metrics.StopTracking(_model);
        _stop.Dispose();
    }

    private sealed record Entry(Request Request, int Index, TItem Item, int Tokens, long Sequence);

    private sealed record ReadyBatch(List<Entry> Entries, Func<TResult[]> Run);

    /// <summary>One caller's items: completes when the last result is in, fails or is cancelled as a whole.</summary>
    private sealed class Request
    {
        private readonly TResult[] _results;
        private readonly TaskCompletionSource<TResult[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _registration;
        private int _remaining;

        public Request(int count, long enqueued, ActivityContext caller, CancellationToken cancellationToken)
        {
            Caller = caller;
            _results = new TResult[count];
            _remaining = count;
            Enqueued = enqueued;
            _registration = cancellationToken.Register(() => _completion.TrySetCanceled(cancellationToken));
        }

        public long Enqueued { get; }

        /// <summary>The span that submitted the items, which the batch spans that serve them link to.</summary>
        public ActivityContext Caller { get; }

        public Task<TResult[]> Task => _completion.Task;

        /// <summary>Answered, failed or cancelled: its remaining items need not run.</summary>
        public bool IsFinished => _completion.Task.IsCompleted;

        public void Complete(int index, TResult result)
        {
            _results[index] = result;
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _completion.TrySetResult(_results);
                _registration.Unregister();
            }
        }

        public void Fail(Exception exception)
        {
            _completion.TrySetException(exception);
            _registration.Unregister();
        }
    }
}
