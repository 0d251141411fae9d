namespace RagSuite.Core.Security;

/// <summary>The gRPC metadata that carries the service token: either header is accepted; the gateway sends <see cref="Authorization"/>.</summary>
public static class ServiceTokenHeaders
{
    /// <summary>Lower case, as gRPC metadata keys are.</summary>
    public const string Authorization = "authorization";

    public const string BearerPrefix = "Bearer ";

    /// <summary>For callers whose <c>authorization</c> header is taken by something else (a mesh, a proxy).</summary>
    public const string ServiceToken = "x-ragsuite-service-token";
}
