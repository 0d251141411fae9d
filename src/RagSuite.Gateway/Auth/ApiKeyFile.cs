using System.Text.Json;
using System.Text.Json.Serialization;
using RagSuite.Retrieval;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// Reads the key file: <c>{"keys": [{"name", "sha256", "collections", "role", "tenant", "requests_per_second", "burst",
/// "max_concurrent_requests"}]}</c>. Strict, like the API's own JSON: an unknown member is a mistake (a misspelt
/// <c>tenant</c> would otherwise widen a key), and so is a key that is not whole.
/// </summary>
public static class ApiKeyFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <exception cref="FormatException">The file is not a valid key file; the message says where, and never holds a key.</exception>
    public static IReadOnlyList<ApiKey> Parse(ReadOnlySpan<byte> utf8)
    {
        KeyFileBody? body;
        try
        {
            body = JsonSerializer.Deserialize<KeyFileBody>(utf8, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON for a key file (line {e.LineNumber + 1}): {e.Message.Split(" Path:")[0]}");
        }
        if (body?.Keys is null) throw new FormatException("has no \"keys\" array");

        var keys = new List<ApiKey>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < body.Keys.Count; i++)
        {
            var entry = body.Keys[i] ?? throw new FormatException($"keys[{i}] is null");
            keys.Add(ToKey(entry, $"keys[{i}]"));
            if (!names.Add(entry.Name!)) throw new FormatException($"keys[{i}].name '{entry.Name}' is used twice");
        }
        if (keys.DistinctBy(k => Convert.ToHexString(k.Hash)).Count() != keys.Count) throw new FormatException("two keys have the same sha256");
        return keys;
    }

    private static ApiKey ToKey(KeyEntry entry, string at)
    {
        if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.Length > 128) throw new FormatException($"{at}.name must be 1-128 characters");
        at = $"{at} ('{entry.Name}')";
        if (entry.Sha256 is not { Length: 64 } hex || !hex.All(Uri.IsHexDigit))
        {
            throw new FormatException($"{at}.sha256 must be the key's SHA-256 as 64 hex digits (printf %s \"$KEY\" | sha256sum), not the key");
        }
        if (entry.Collections is not { Count: > 0 } collections) throw new FormatException($"{at}.collections must list at least one collection, or \"*\" for all");
        foreach (var collection in collections)
        {
            if (collection != ApiKey.AllCollections && !CollectionNames.IsValid(collection))
            {
                throw new FormatException($"{at}.collections: '{collection}' is not a collection name ({CollectionNames.Rule}) or \"*\"");
            }
        }
        var role = entry.Role switch
        {
            "read" => ApiRole.Read,
            "write" => ApiRole.Write,
            "admin" => ApiRole.Admin,
            _ => throw new FormatException($"{at}.role must be \"read\", \"write\" or \"admin\""),
        };
        if (entry.Tenant is { } tenant && (tenant.Length is 0 or > 256)) throw new FormatException($"{at}.tenant must be 1-256 characters (or absent)");
        if (entry.RequestsPerSecond is < 1) throw new FormatException($"{at}.requests_per_second must be at least 1");
        if (entry.Burst is < 1) throw new FormatException($"{at}.burst must be at least 1");
        if (entry.MaxConcurrentRequests is < 1) throw new FormatException($"{at}.max_concurrent_requests must be at least 1");
        return new ApiKey(entry.Name, Convert.FromHexString(hex), collections.ToHashSet(StringComparer.Ordinal), role, entry.Tenant,
            entry.RequestsPerSecond, entry.Burst, entry.MaxConcurrentRequests);
    }

    private sealed record KeyFileBody(List<KeyEntry?>? Keys);

    private sealed record KeyEntry(string? Name, string? Sha256, List<string>? Collections, string? Role, string? Tenant = null,
        int? RequestsPerSecond = null, int? Burst = null, int? MaxConcurrentRequests = null);
}
