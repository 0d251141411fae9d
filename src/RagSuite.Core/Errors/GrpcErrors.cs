using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace RagSuite.Core.Errors;

/// <summary>
/// Carries a <see cref="RagSuiteException"/> across gRPC and back: a rich status whose ErrorInfo
/// names the exact kind (so 422 and 413 survive the INVALID_ARGUMENT round trip) and whose
/// BadRequest detail lists the fields at fault; a RetryInfo detail carries a retry hint. A failure the transport
/// raised rather than a RagSuite service (connection refused, deadline, reset stream) is described by the service's
/// role alone: gRPC's own detail names addresses and socket errors, which belong in logs, not in answers to callers.
/// </summary>
public static class GrpcErrors
{
    private const string Domain = "ragsuite.dev";

    /// <summary>The retry hint a caller gets when a service cannot be reached: long enough for a pod to restart or be replaced.</summary>
    public static readonly TimeSpan UnreachableRetryAfter = TimeSpan.FromSeconds(5);

    public static RpcException ToRpcException(RagSuiteException error)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)error.Kind.GrpcStatus(),
            Message = error.Message,
            Details = { Any.Pack(new ErrorInfo { Reason = error.Kind.ToString(), Domain = Domain }) },
        };
        if (error.RetryAfter is { } retryAfter)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));
        }
        if (error.FieldErrors.Count > 0)
        {
            var badRequest = new BadRequest();
            foreach (var (field, messages) in error.FieldErrors)
            {
                foreach (var message in messages)
                {
                    badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = message });
                }
            }
            status.Details.Add(Any.Pack(badRequest));
        }
        return status.ToRpcException();
    }

    public static RagSuiteException FromRpcException(RpcException exception, string service)
    {
        var status = exception.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        var handshake = HandshakeFailed(exception);
        var kind = info is { Domain: Domain } && System.Enum.TryParse<ErrorKind>(info.Reason, out var parsed)
            ? parsed
            : RefusesCaller(exception.StatusCode) || handshake ? ErrorKind.Unavailable : ErrorKinds.FromGrpcStatus(exception.StatusCode);
        var fields = status?.GetDetail<BadRequest>()?.FieldViolations
            .GroupBy(v => v.Field)
            .ToDictionary(g => g.Key, g => g.Select(v => v.Description).ToArray());
        var ours = info is { Domain: Domain };
        var message = ours ? exception.Status.Detail
            : handshake ? $"The {service} is unavailable: the TLS handshake with it failed (see {Security.ServiceTlsOptions.Section} and this process's log)."
            : ForeignMessage(exception.StatusCode, exception.Status.Detail, service);
        var retryAfter = status?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();
        return new RagSuiteException(kind, message, fields, exception)
        {
            RetryAfter = retryAfter ?? (!ours && kind == ErrorKind.Unavailable ? UnreachableRetryAfter : null),
        };
    }

    /// <summary>
    /// A service refusing the caller's credentials (its service token) is a fault of the deployment, not of whoever asked
    /// the gateway: a 5xx that optional services degrade on, never a 401 asking the end user for a key.
    /// </summary>
    private static bool RefusesCaller(StatusCode code) => code is StatusCode.Unauthenticated or StatusCode.PermissionDenied;

    /// <summary>
    /// This side refused the service's certificate, or the handshake broke down: the deployment's certificates disagree
    /// (gRPC calls that INTERNAL, and another attempt would meet the same certificate), so like a refused service token it
    /// is the service being unavailable to this caller, never an internal error of a request.
    /// </summary>
    private static bool HandshakeFailed(RpcException exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException) return true;
        }
        return false;
    }

    private static string ForeignMessage(StatusCode code, string detail, string service) => code switch
    {
        _ when RefusesCaller(code) => $"The {service} refused this gateway's calls: their service tokens differ.",
        StatusCode.Unavailable or StatusCode.Cancelled => $"The {service} is unavailable.",
        StatusCode.DeadlineExceeded => $"The {service} did not answer in time.",
        StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss => $"The {service} failed ({code}).",
        _ => $"The {service} service failed: {code} {detail}".TrimEnd(),
    };
}
