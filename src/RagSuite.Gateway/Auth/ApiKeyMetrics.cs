using System.Diagnostics.Metrics;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// Requests to <c>/v1</c> by API key and outcome, and the key check's refusals by reason. Label values are bounded: a key's
/// name comes from the key file, every request without a known key is <see cref="Anonymous"/>, and outcomes and reasons are
/// fixed lists. Keys themselves never appear.
/// </summary>
public sealed class ApiKeyMetrics
{
    /// <summary>The key label of a request that carried no known key (or of every request when the API is open).</summary>
    public const string Anonymous = "anonymous";

    public const string Success = "success";
    public const string Rejected = "rejected";
    public const string ClientError = "client-error";
    public const string ServerError = "server-error";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _rejections;

    public ApiKeyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(GatewayMetrics.MeterName);
        _requests = meter.CreateCounter<long>("ragsuite.gateway.auth.requests", "{request}",
            "API requests by key name and outcome (success, rejected by the key check, client-error, server-error)");
        _rejections = meter.CreateCounter<long>("ragsuite.gateway.auth.rejections", "{request}",
            "API requests the key check refused (401, 403, 429), by reason");
    }

    public void Record(string key, int status, ApiKeyRejection? rejection)
    {
        var outcome = rejection is not null ? Rejected : status switch
        {
            < 400 => Success,
            < 500 => ClientError,
            _ => ServerError,
        };
        _requests.Add(1, new KeyValuePair<string, object?>("key", key), new KeyValuePair<string, object?>("outcome", outcome));
        if (rejection is not null) _rejections.Add(1, new KeyValuePair<string, object?>("reason", rejection.Reason));
    }
}
