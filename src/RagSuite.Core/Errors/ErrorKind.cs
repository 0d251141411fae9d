namespace RagSuite.Core.Errors;

/// <summary>
/// The kinds of failure RagSuite reports. Each maps once to an HTTP status (gateway) and once to a
/// gRPC status (services); <see cref="ErrorKinds"/> holds both mappings.
/// </summary>
public enum ErrorKind
{
    /// <summary>The request could not be read: malformed JSON, wrong types, invalid encoding.</summary>
    BadRequest,
    /// <summary>The request was read but a value is out of range, missing or inconsistent.</summary>
    Validation,
    NotFound,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    ResourceExhausted,
    Unavailable,
    DeadlineExceeded,
    Internal,
    /// <summary>No credential, or one this service does not know.</summary>
    Unauthenticated,
    /// <summary>A known credential that may not do this (its role or its collections).</summary>
    Forbidden,
}
