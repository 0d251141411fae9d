namespace RagSuite.Gateway.Auth;

/// <summary>
/// Why the key check refused a request, set on the request (as a feature) just before the refusal is thrown, so
/// <see cref="ApiKeyMetricsMiddleware"/> can count it once the problem response is written.
/// </summary>
public sealed record ApiKeyRejection(string Reason)
{
    /// <summary>401: no key sent.</summary>
    public const string MissingKey = "missing-key";

    /// <summary>401: a key the file does not list (or no longer lists).</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>403: the key's role is below the endpoint's.</summary>
    public const string Role = "role";

    /// <summary>403: a collection or tenant outside the key's scope, named in the route or the body.</summary>
    public const string Scope = "scope";

    /// <summary>429: over the key's request rate.</summary>
    public const string RateLimit = "rate-limit";

    /// <summary>429: too many of the key's requests in flight.</summary>
    public const string ConcurrencyLimit = "concurrency-limit";

    public static IReadOnlyList<string> All { get; } = [MissingKey, UnknownKey, Role, Scope, RateLimit, ConcurrencyLimit];
}
