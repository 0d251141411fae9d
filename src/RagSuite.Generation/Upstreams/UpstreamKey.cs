namespace RagSuite.Generation.Upstreams;

/// <summary>Reads an upstream's API key from its file (a mounted Secret) or environment variable. The key is never logged.</summary>
public static class UpstreamKey
{
    public static string? Read(UpstreamOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiKeyFile)) return File.ReadAllText(options.ApiKeyFile).Trim();
        return string.IsNullOrWhiteSpace(options.ApiKeyVariable) ? null : Environment.GetEnvironmentVariable(options.ApiKeyVariable)?.Trim();
    }
}
