namespace RagSuite.Core.Errors;

/// <summary>
/// The one error type of RagSuite: a kind, a message meant for the caller, and optionally the
/// fields at fault. It crosses gRPC as a rich status and leaves the gateway as problem+json.
/// </summary>
public sealed class RagSuiteException : Exception
{
    public RagSuiteException(ErrorKind kind, string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        FieldErrors = fieldErrors ?? new Dictionary<string, string[]>();
    }

    public RagSuiteException() : this(ErrorKind.Internal, "Unknown error") { }

    public RagSuiteException(string message) : this(ErrorKind.Internal, message) { }

    public RagSuiteException(string message, Exception innerException)
        : this(ErrorKind.Internal, message, null, innerException) { }

    public ErrorKind Kind { get; }

    public IReadOnlyDictionary<string, string[]> FieldErrors { get; }

    /// <summary>For <see cref="ErrorKind.ResourceExhausted"/> or an unreachable service: when a retry is likely to succeed.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A refusal because a queue is full; <paramref name="retryAfter"/> travels as gRPC RetryInfo and HTTP Retry-After.</summary>
    public static RagSuiteException Exhausted(string message, TimeSpan retryAfter) =>
        new(ErrorKind.ResourceExhausted, message) { RetryAfter = retryAfter };

    public static RagSuiteException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static RagSuiteException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static RagSuiteException Unavailable(string message) => new(ErrorKind.Unavailable, message);

    public static RagSuiteException Invalid(string field, string message) =>
        new(ErrorKind.Validation, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });
}
