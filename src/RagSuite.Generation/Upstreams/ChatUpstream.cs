using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using Polly;
using Polly.CircuitBreaker;
using RagSuite.Contracts.V1;
using RagSuite.Generation.Prompts;

namespace RagSuite.Generation.Upstreams;

/// <summary>
/// One OpenAI-compatible upstream: its chat client (the official <c>OpenAI</c> SDK, with its own retries off, since a
/// failure goes to the next upstream instead), a concurrency limit, a circuit breaker over the start of each answer
/// (connecting and the first token), the moving average of its time to first token, and its prompt tokenizer.
/// </summary>
public sealed class ChatUpstream : IDisposable
{
    private readonly ChatClient _client;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _slots;
    private readonly ResiliencePipeline _breaker;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly double _smoothing;
    private double _latencyMs;

    public ChatUpstream(UpstreamOptions options, string? apiKey, double latencySmoothing, TimeProvider time)
    {
        Options = options;
        Counter = TokenCounter.For(options.Tokenizer, options.Model);
        _smoothing = latencySmoothing;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        _client = new ChatClient(options.Model, new ApiKeyCredential(apiKey is { Length: > 0 } ? apiKey : "none"), new OpenAIClientOptions
        {
            Endpoint = new Uri(options.BaseUrl),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            Transport = new HttpClientPipelineTransport(_http),
        });
        _breaker = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(options.BreakerSamplingSeconds),
                BreakDuration = TimeSpan.FromSeconds(options.BreakerBreakSeconds),
                // A caller that went away says nothing about the upstream.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                StateProvider = _circuit,
            })
            .Build();
    }

    public UpstreamOptions Options { get; }

    public string Name => Options.Name;

    public TokenCounter Counter { get; }

    public int InFlight => Options.MaxConcurrency - _slots.CurrentCount;

    /// <summary>Moving average of the time to first token; 0 before the first answer, so a new upstream gets tried.</summary>
    public double LatencyMs => Volatile.Read(ref _latencyMs);

    public string Circuit => _circuit.CircuitState switch
    {
        CircuitState.Open or CircuitState.Isolated => "open",
        CircuitState.HalfOpen => "half_open",
        _ => "closed",
    };

    /// <summary>A slot within the queue timeout, or null when the upstream stays at its limit.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken cancellationToken) =>
        await _slots.WaitAsync(TimeSpan.FromSeconds(Options.QueueTimeoutSeconds), cancellationToken) ? new Slot(_slots) : null;

    /// <summary>
    /// Sends the prompt and waits for the first token, under the circuit breaker: a failure here opens the way to the
    /// next upstream. The returned call streams the rest.
    /// </summary>
    public async Task<UpstreamCall> StartAsync(PackedPrompt prompt, GenerationParameters parameters, int maxTokens, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var call = await _breaker.ExecuteAsync(async token =>
        {
            var messages = new List<ChatMessage>();
            if (prompt.System.Length > 0) messages.Add(new SystemChatMessage(prompt.System));
            messages.Add(new UserChatMessage(prompt.User));
            var options = ChatOptions(parameters, maxTokens);
            var opened = new UpstreamCall(clock => _client.CompleteChatStreamingAsync(messages, options, clock), Options, time, token);
            try
            {
                await opened.ReadFirstAsync();
                return opened;
            }
            catch
            {
                await opened.DisposeAsync();
                throw;
            }
        }, cancellationToken);
        var latency = time.GetElapsedTime(started).TotalMilliseconds;
        var previous = LatencyMs;
        Volatile.Write(ref _latencyMs, previous == 0 ? latency : previous + _smoothing * (latency - previous));
        call.TimeToFirstToken = TimeSpan.FromMilliseconds(latency);
        return call;
    }

    private static ChatCompletionOptions ChatOptions(GenerationParameters parameters, int maxTokens)
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = maxTokens };
        if (parameters.HasTemperature) options.Temperature = parameters.Temperature;
        if (parameters.HasTopP) options.TopP = parameters.TopP;
        if (parameters.HasPresencePenalty) options.PresencePenalty = parameters.PresencePenalty;
        if (parameters.HasFrequencyPenalty) options.FrequencyPenalty = parameters.FrequencyPenalty;
        // seed is part of the chat-completions API that vLLM and OpenAI serve, marked experimental in the SDK.
#pragma warning disable OPENAI001
        if (parameters.HasSeed) options.Seed = parameters.Seed;
#pragma warning restore OPENAI001
        foreach (var stop in parameters.Stop) options.StopSequences.Add(stop);
        // top_k is vLLM's extension to the request; the SDK's Patch is how extra fields travel.
#pragma warning disable SCME0001
        if (parameters.HasTopK) options.Patch.Set("$.top_k"u8, parameters.TopK);
#pragma warning restore SCME0001
        return options;
    }

    public void Dispose()
    {
        _slots.Dispose();
        _http.Dispose();
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
