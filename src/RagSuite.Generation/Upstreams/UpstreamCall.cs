using System.ClientModel;
using System.Runtime.CompilerServices;
using OpenAI.Chat;

namespace RagSuite.Generation.Upstreams;

/// <summary>
/// One streamed answer from an upstream, read under three clocks: the first token must come within the first-token
/// timeout, each later one within the idle timeout of the one before, and the whole answer within the total timeout.
/// </summary>
public sealed class UpstreamCall : IAsyncDisposable
{
    private readonly IAsyncEnumerator<StreamingChatCompletionUpdate> _updates;
    private readonly CancellationTokenSource _clock;
    private readonly CancellationToken _caller;
    private readonly UpstreamOptions _options;
    private readonly DateTimeOffset _deadline;
    private readonly TimeProvider _time;
    private (string Kind, string Message) _timeout;
    private UpstreamReply? _first;

    public UpstreamCall(Func<CancellationToken, AsyncCollectionResult<StreamingChatCompletionUpdate>> open, UpstreamOptions options,
        TimeProvider time, CancellationToken caller)
    {
        _options = options;
        _time = time;
        _caller = caller;
        _deadline = time.GetUtcNow().AddSeconds(options.TimeoutSeconds);
        _clock = CancellationTokenSource.CreateLinkedTokenSource(caller);
        _updates = open(_clock.Token).GetAsyncEnumerator(_clock.Token);
    }

    public TimeSpan TimeToFirstToken { get; set; }

    /// <summary>Waits for the first piece of text; throws when the upstream fails, stalls or ends without any.</summary>
    public async Task ReadFirstAsync()
    {
        Arm(_options.FirstTokenTimeoutSeconds, "first_token_timeout", $"no first token within {_options.FirstTokenTimeoutSeconds:0.###} s");
        while (await NextAsync() is { } reply)
        {
            if (reply.Text.Length > 0)
            {
                _first = reply;
                return;
            }
            if (reply.FinishReason is not null) break;
        }
        throw new UpstreamException("empty", "it finished without writing any text");
    }

    /// <summary>The answer from its first piece on, ending with the finish reason and usage.</summary>
    public async IAsyncEnumerable<UpstreamReply> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_first is null) throw new InvalidOperationException("ReadFirstAsync must succeed before the rest is read");
        yield return _first;
        while (true)
        {
            Arm(_options.IdleTimeoutSeconds, "idle_timeout", $"no token for {_options.IdleTimeoutSeconds:0.###} s");
            if (await NextAsync() is not { } reply) yield break;
            cancellationToken.ThrowIfCancellationRequested();
            yield return reply;
        }
    }

    /// <summary>Sets the clock to the sooner of this wait's limit and the whole answer's deadline.</summary>
    private void Arm(double seconds, string kind, string message)
    {
        var left = _deadline - _time.GetUtcNow();
        if (left < TimeSpan.FromSeconds(seconds))
        {
            _timeout = ("timeout", $"the answer took longer than {_options.TimeoutSeconds:0.###} s");
            _clock.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        else
        {
            _timeout = (kind, message);
            _clock.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
    }

    private async Task<UpstreamReply?> NextAsync()
    {
        try
        {
            if (!await _updates.MoveNextAsync()) return null;
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            throw new UpstreamException(_timeout.Kind, _timeout.Message);
        }
        var update = _updates.Current;
        var text = string.Concat(update.ContentUpdate.Select(part => part.Text));
        var finish = update.FinishReason switch
        {
            null => null,
            ChatFinishReason.Length => "length",
            _ => "stop",
        };
        return new UpstreamReply(text, finish, update.Usage?.InputTokenCount, update.Usage?.OutputTokenCount);
    }

    public async ValueTask DisposeAsync()
    {
        await _updates.DisposeAsync();
        _clock.Dispose();
    }
}
