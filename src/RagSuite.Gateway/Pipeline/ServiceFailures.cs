using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// Which failures of an optional service (embedder, reranker, generator) a query survives by falling back. A service
/// that is down, late or broken (a 5xx kind: UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL) makes the answer poorer but
/// still an answer; a refusal of the request itself (INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED) is the caller's
/// to see, as the same 4xx it would be with every service up.
/// </summary>
public static class ServiceFailures
{
    public static bool Degrades(RagSuiteException error) => error.Kind.HttpStatus() >= 500;
}
