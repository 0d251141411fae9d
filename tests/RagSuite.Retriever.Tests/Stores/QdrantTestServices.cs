using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RagSuite.Retrieval.Stores.Qdrant;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>The Qdrant store as the retriever registers it (options, API key, resilience pipeline), its HTTP answered by a <see cref="FakeQdrant"/>.</summary>
public sealed class QdrantTestServices : IDisposable
{
    public const string ApiKey = "s3cret-qdrant-key-0123456789";

    private readonly string _keyFile = Path.GetTempFileName();

    public QdrantTestServices(Dictionary<string, string?>? settings = null)
    {
        File.WriteAllText(_keyFile, ApiKey + "\n");
        var values = new Dictionary<string, string?>
        {
            ["RagSuite:Qdrant:Url"] = "http://qdrant.test:6333",
            ["RagSuite:Qdrant:ApiKeyFile"] = _keyFile,
            ["RagSuite:Qdrant:RetryDelay"] = "00:00:00.001",
        };
        foreach (var (key, value) in settings ?? []) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddQdrantVectorStore(configuration);
        services.AddHttpClient(QdrantRestClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Qdrant);
        Provider = services.BuildServiceProvider();
    }

    public FakeQdrant Qdrant { get; } = new();

    public CapturingLogs Logs { get; } = new();

    public ServiceProvider Provider { get; }

    internal QdrantVectorStore Store => Provider.GetRequiredService<QdrantVectorStore>();

    public void Dispose()
    {
        Provider.Dispose();
        File.Delete(_keyFile);
    }
}

/// <summary>Every log line written, at every level.</summary>
public sealed class CapturingLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{category}: {formatter(state, exception)} {exception}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values) line += " " + string.Join(' ', values.Select(v => $"{v.Key}={v.Value}"));
            logs.Lines.Enqueue(line);
        }
    }
}
