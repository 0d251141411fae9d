using Grpc.Core;

namespace RagSuite.Core.Errors;

/// <summary>The single place where an <see cref="ErrorKind"/> becomes an HTTP or a gRPC status.</summary>
public static class ErrorKinds
{
    public static int HttpStatus(this ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => 400,
        ErrorKind.Validation => 422,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.PayloadTooLarge => 413,
        ErrorKind.UnsupportedMediaType => 415,
        ErrorKind.ResourceExhausted => 429,
        ErrorKind.Unavailable => 503,
        ErrorKind.DeadlineExceeded => 504,
        ErrorKind.Unauthenticated => 401,
        ErrorKind.Forbidden => 403,
        _ => 500,
    };

    public static StatusCode GrpcStatus(this ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest or ErrorKind.Validation or ErrorKind.PayloadTooLarge
            or ErrorKind.UnsupportedMediaType => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.Conflict => StatusCode.AlreadyExists,
        ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        ErrorKind.DeadlineExceeded => StatusCode.DeadlineExceeded,
        ErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        ErrorKind.Forbidden => StatusCode.PermissionDenied,
        _ => StatusCode.Internal,
    };

    /// <summary>The kind a gRPC status means when the peer sent no RagSuite reason with it.</summary>
    public static ErrorKind FromGrpcStatus(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.FailedPrecondition => ErrorKind.Validation,
        StatusCode.NotFound => ErrorKind.NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => ErrorKind.Conflict,
        StatusCode.ResourceExhausted => ErrorKind.ResourceExhausted,
        StatusCode.Unavailable or StatusCode.Cancelled => ErrorKind.Unavailable,
        StatusCode.DeadlineExceeded => ErrorKind.DeadlineExceeded,
        StatusCode.Unauthenticated => ErrorKind.Unauthenticated,
        StatusCode.PermissionDenied => ErrorKind.Forbidden,
        _ => ErrorKind.Internal,
    };

    /// <summary>A short, stable, kebab-case code for problem documents and logs.</summary>
    public static string Code(this ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => "bad-request",
        ErrorKind.Validation => "validation-failed",
        ErrorKind.NotFound => "not-found",
        ErrorKind.Conflict => "conflict",
        ErrorKind.PayloadTooLarge => "payload-too-large",
        ErrorKind.UnsupportedMediaType => "unsupported-media-type",
        ErrorKind.ResourceExhausted => "resource-exhausted",
        ErrorKind.Unavailable => "unavailable",
        ErrorKind.DeadlineExceeded => "deadline-exceeded",
        ErrorKind.Unauthenticated => "unauthenticated",
        ErrorKind.Forbidden => "forbidden",
        _ => "internal",
    };

    public static string Title(this ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => "The request could not be read",
        ErrorKind.Validation => "The request has invalid values",
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.PayloadTooLarge => "Payload too large",
        ErrorKind.UnsupportedMediaType => "Unsupported media type",
        ErrorKind.ResourceExhausted => "Too many requests",
        ErrorKind.Unavailable => "A service is unavailable",
        ErrorKind.DeadlineExceeded => "A service did not answer in time",
        ErrorKind.Unauthenticated => "An API key is needed",
        ErrorKind.Forbidden => "This API key may not do that",
        _ => "Internal error",
    };
}
