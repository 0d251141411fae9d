using RagSuite.Contracts.V1;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// An answer streamed to a response that is already under way: started by awaiting its first event (so that a request
/// the generator refuses still gets a plain error response), then read as pieces — each delta, then the end, which
/// holds the result, or the failure that broke the stream off once nothing but a last event could report it.
/// </summary>
public sealed class StreamedAnswer : IAsyncDisposable
{
    private readonly IAsyncEnumerator<GenerateEvent> _events;
    private bool _more;

    private StreamedAnswer(IAsyncEnumerator<GenerateEvent> events, bool more)
    {
        _events = events;
        _more = more;
    }

    public static async Task<StreamedAnswer> StartAsync(IAsyncEnumerable<GenerateEvent> events, CancellationToken cancellationToken)
    {
        var enumerator = events.GetAsyncEnumerator(cancellationToken);
        try
        {
            return new StreamedAnswer(enumerator, await enumerator.MoveNextAsync());
        }
        catch
        {
            await enumerator.DisposeAsync();
            throw;
        }
    }

    /// <summary>The answer's deltas, then one <see cref="AnswerEnd"/>.</summary>
    public async IAsyncEnumerable<object> ReadAsync()
    {
        GenerateResult? result = null;
        while (_more)
        {
            if (_events.Current.EventCase == GenerateEvent.EventOneofCase.Delta) yield return _events.Current.Delta;
            else result = _events.Current.Result;

            Exception? failure = null;
            try
            {
                _more = await _events.MoveNextAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = e;
            }
            if (failure is not null)
            {
                yield return new AnswerEnd(result, failure);
                yield break;
            }
        }
        yield return new AnswerEnd(result, null);
    }

    public ValueTask DisposeAsync() => _events.DisposeAsync();
}

/// <summary>How a streamed answer ended: its result, and the failure that broke the stream off, if one did.</summary>
public sealed record AnswerEnd(GenerateResult? Result, Exception? Failure)
{
    /// <summary>The upstream broke off after its first token: the generator ended the answer and said why.</summary>
    public bool BrokeOff => Result is { FinishReason: "error" };
}
