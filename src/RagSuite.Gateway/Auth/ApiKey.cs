namespace RagSuite.Gateway.Auth;

/// <summary>
/// One key of the key file: its name (for logs and limits; never the key), the SHA-256 of the key, the collections it may
/// use (<c>*</c> for all), its role, the tenant it is bound to (if any) and its own limits (null for the options' defaults).
/// </summary>
public sealed record ApiKey(string Name, byte[] Hash, IReadOnlySet<string> Collections, ApiRole Role, string? Tenant,
    int? RequestsPerSecond, int? Burst, int? MaxConcurrentRequests)
{
    public const string AllCollections = "*";

    public bool Allows(string collection) => Collections.Contains(AllCollections) || Collections.Contains(collection);
}
