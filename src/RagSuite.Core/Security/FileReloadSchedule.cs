namespace RagSuite.Core.Security;

/// <summary>
/// When credentials read from mounted files are read again: on the first use after <c>ReloadSeconds</c> have passed, by
/// one caller at a time while the others go on with what is in force. Polling, because a Kubernetes Secret is updated by
/// swapping a symlink, which a file watcher does not see. Shared by <see cref="ServiceToken"/> and <see cref="ServiceTls"/>.
/// </summary>
internal sealed class FileReloadSchedule(double reloadSeconds, TimeProvider time)
{
    private readonly Lock _reading = new();
    private long _nextReadTimestamp = time.GetTimestamp() + (long)(reloadSeconds * time.TimestampFrequency);

    /// <summary><paramref name="reload"/>(<paramref name="current"/>) when a read is due and no one else is reading; otherwise <paramref name="current"/>.</summary>
    public T Refresh<T>(T current, Func<T, T> reload)
    {
        if (time.GetTimestamp() < Interlocked.Read(ref _nextReadTimestamp) || !_reading.TryEnter()) return current;
        try
        {
            Interlocked.Exchange(ref _nextReadTimestamp, time.GetTimestamp() + (long)(reloadSeconds * time.TimestampFrequency));
            return reload(current);
        }
        finally
        {
            _reading.Exit();
        }
    }
}
