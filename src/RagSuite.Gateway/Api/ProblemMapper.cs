using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RagSuite.Core.Errors;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Turns any exception into an RFC 9457 problem: RagSuite errors keep their kind, message and field
/// errors; unreadable requests become 400, 413 or 415; anything unexpected becomes a 500 that names
/// a trace id (the details go to the log, never to the caller).
/// </summary>
public sealed partial class ProblemMapper(ILogger<ProblemMapper> logger)
{
    public ProblemDetails ToProblem(Exception exception, HttpContext context)
    {
        var error = Classify(exception);
        if (error is null)
        {
            var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            LogUnexpected(logger, exception, context.Request.Method, context.Request.Path, traceId);
            error = new RagSuiteException(ErrorKind.Internal, $"An unexpected error occurred (trace id {traceId}).");
        }
        var problem = new ProblemDetails
        {
            Status = error.Kind.HttpStatus(),
            Title = error.Kind.Title(),
            Detail = error.Message,
            Type = $"https://ragsuite.dev/problems/{error.Kind.Code()}",
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = error.Kind.Code();
        if (error.FieldErrors.Count > 0) problem.Extensions["errors"] = error.FieldErrors;
        return problem;
    }

    /// <summary>The last event of a stream whose upstream failed after its first token: 502, why, and the answer's lineage.</summary>
    public ProblemDetails BrokenAnswer(string detail, object? generation, HttpContext context)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status502BadGateway,
            Title = "The answer broke off",
            Detail = detail,
            Type = "https://ragsuite.dev/problems/upstream-failed-midway",
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = "upstream-failed-midway";
        if (generation is not null) problem.Extensions["generation"] = generation;
        return problem;
    }

    private static RagSuiteException? Classify(Exception exception) => exception switch
    {
        RagSuiteException error => error,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new RagSuiteException(ErrorKind.PayloadTooLarge, "The request body is larger than this gateway accepts (RagSuite:Gateway:MaxRequestBytes)."),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } e =>
            new RagSuiteException(ErrorKind.UnsupportedMediaType, e.Message),
        BadHttpRequestException { InnerException: JsonException json } => Unreadable(json),
        BadHttpRequestException e => new RagSuiteException(ErrorKind.BadRequest, e.Message),
        JsonException json => Unreadable(json),
        IOException e when ReadingRequestBody(e) => new RagSuiteException(ErrorKind.BadRequest, $"The request body could not be read: {e.Message}"),
        InvalidDataException e when e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) =>
            new RagSuiteException(ErrorKind.PayloadTooLarge, e.Message),
        InvalidDataException e => new RagSuiteException(ErrorKind.BadRequest, $"The multipart body could not be read: {e.Message}"),
        _ => null,
    };

    /// <summary>
    /// Kestrel's body readers reject most broken framing with a BadHttpRequestException, but not all: a chunk
    /// size beyond 32 bits surfaces as a plain IOException ("Bad chunk size data"). Thrown from a body reader,
    /// it is the request's fault, not ours; a client that went away is handled before this is asked.
    /// </summary>
    private static bool ReadingRequestBody(IOException exception) =>
        exception.StackTrace is { } trace && trace.Contains("Kestrel.Core.Internal.Http", StringComparison.Ordinal)
        && trace.Contains("MessageBody", StringComparison.Ordinal);

    private static RagSuiteException Unreadable(JsonException json) =>
        new(ErrorKind.BadRequest, $"The request body is not valid JSON for this endpoint: {JsonErrorMessages.Describe(json)}",
            json.Path is { Length: > 1 } path
                ? new Dictionary<string, string[]> { [JsonErrorMessages.FieldName(path)] = [JsonErrorMessages.Reason(json)] }
                : null);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in {Method} {Path} (trace id {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path, string traceId);
}
