using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>
/// A real Qdrant for the tests: the one at <c>QDRANT_URL</c> (with the key in the file <c>QDRANT_API_KEY_FILE</c>, if
/// any), else a <c>qdrant/qdrant</c> container started once per test run through Testcontainers where a Docker daemon
/// is reachable; else none, and <see cref="Unavailable"/> says why.
/// </summary>
public static class QdrantServer
{
    public const string Image = "qdrant/qdrant:v1.18.1";

    private static readonly string? ConfiguredUrl = Environment.GetEnvironmentVariable("QDRANT_URL") is { Length: > 0 } url ? url : null;

    private static readonly Lazy<Task<string>> Started = new(StartAsync);

    public static string? ApiKeyFile => Environment.GetEnvironmentVariable("QDRANT_API_KEY_FILE") is { Length: > 0 } file ? file : null;

    /// <summary>Why no Qdrant can be had here, or null when one can.</summary>
    public static string? Unavailable =>
        ConfiguredUrl is not null || DockerReachable ? null
            : "No Qdrant to test against: QDRANT_URL is not set and no Docker daemon is reachable (no DOCKER_HOST, no /var/run/docker.sock) for Testcontainers to start " + Image;

    public static Task<string> UrlAsync() => ConfiguredUrl is not null ? Task.FromResult(ConfiguredUrl) : Started.Value;

    private static bool DockerReachable =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");

    private static async Task<string> StartAsync()
    {
        // Testcontainers' reaper removes the container when the test process ends.
        IContainer container = new ContainerBuilder(Image)
            .WithPortBinding(6333, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(6333).ForPath("/readyz")))
            .Build();
        await container.StartAsync();
        return $"http://{container.Hostname}:{container.GetMappedPublicPort(6333)}";
    }
}
