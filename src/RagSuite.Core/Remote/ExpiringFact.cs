namespace RagSuite.Core.Remote;

/// <summary>
/// Something a service's answer showed about how it is configured (the reranker runs no reranking for "auto", the
/// embedder has no dense model), believed for <paramref name="lifetime"/> so that calls which would only confirm it
/// are not made, then asked again: a service whose model has since loaded is used within that time.
/// </summary>
public sealed class ExpiringFact<T>(TimeSpan lifetime, TimeProvider time)
{
    private sealed record Known(T Value, long Until);

    private volatile Known? _known;

    public bool TryGet(out T value)
    {
        if (_known is { } known && time.GetTimestamp() < known.Until)
        {
            value = known.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Learn(T value) =>
        _known = new Known(value, time.GetTimestamp() + (long)(lifetime.TotalSeconds * time.TimestampFrequency));

    public void Forget() => _known = null;
}
