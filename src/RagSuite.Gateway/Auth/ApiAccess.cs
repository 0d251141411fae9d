using RagSuite.Core.Errors;
using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// What the request's key may see, for endpoints whose collection or tenant is in the body or whose answer lists
/// collections. Every check passes when the API is open (no key on the request).
/// </summary>
public static class ApiAccess
{
    /// <summary>The request's key, or null when no key file is configured.</summary>
    public static ApiKey? Key(HttpContext context) => context.Features.Get<ApiKey>();

    /// <exception cref="RagSuiteException">Forbidden when the request's key may not use <paramref name="collection"/>.</exception>
    public static void Demand(HttpContext context, string? collection)
    {
        if (Key(context) is { } key && collection is not null) Demand(key, collection);
    }

    public static void Demand(ApiKey key, string collection)
    {
        if (!key.Allows(collection)) throw new RagSuiteException(ErrorKind.Forbidden, $"API key '{key.Name}' may not use collection '{collection}'.");
    }

    /// <summary>Whether the request's key may see <paramref name="collection"/> (in a list).</summary>
    public static bool Sees(HttpContext context, string collection) => Key(context)?.Allows(collection) ?? true;

    /// <summary>
    /// The plan as the request's key may run it: its collection allowed, and for a key bound to a tenant, that tenant's
    /// documents only. The retriever filters by the plan's tenant, so such a key can never see another tenant's chunks.
    /// </summary>
    /// <exception cref="RagSuiteException">Forbidden for another collection, or a tenant other than the key's.</exception>
    public static QueryPlan Scope(HttpContext context, QueryPlan plan)
    {
        if (Key(context) is not { } key) return plan;
        Demand(key, plan.Collection);
        if (key.Tenant is null) return plan;
        if (plan.Tenant.Length > 0 && plan.Tenant != key.Tenant)
        {
            throw new RagSuiteException(ErrorKind.Forbidden, $"API key '{key.Name}' is bound to a tenant; it may not query tenant '{plan.Tenant}'.");
        }
        return plan with { Tenant = key.Tenant };
    }
}
