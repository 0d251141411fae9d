using Microsoft.Extensions.Hosting;

namespace RagSuite.Inference.Models;

/// <summary>
/// A model loaded once, in the background, started by the host or by the first caller, whichever comes first, so
/// that start-up is never held by a pull or a session creation. Callers await the outcome; a load that throws what
/// <see cref="LoadAsync"/> did not expect fails every caller with that exception rather than leaving them waiting.
/// </summary>
/// <typeparam name="TState">What became of the model: loaded, or unavailable and why.</typeparam>
public abstract class BackgroundModelLoad<TState> : IHostedService
{
    private readonly TaskCompletionSource<TState> _state = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    /// <summary>True once loading has finished, whatever its outcome.</summary>
    public bool IsSettled => _state.Task.IsCompleted;

    /// <summary>The outcome of loading, once it is known.</summary>
    public Task<TState> StateAsync(CancellationToken cancellationToken)
    {
        Start();
        return _state.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Loads the model, turning the failures it expects into an unavailable state with a reason.</summary>
    protected abstract Task<TState> LoadAsync();

    private void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        _ = Task.Run(async () =>
        {
            try
            {
                _state.SetResult(await LoadAsync());
            }
            catch (Exception e)
            {
                _state.SetException(e);
            }
        });
    }
}
