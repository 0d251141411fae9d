using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace RagSuite.Gateway.Api;

/// <summary>
/// OpenAI's error object, <c>{"message", "type", "param", "code"}</c>, made from a problem. The OpenAI-compatible
/// endpoints answer every failure with problem+json that also carries it as the <c>error</c> member, so RFC 9457
/// clients and OpenAI SDKs (which read <c>error.message</c>) both understand it; a stream that fails after it has
/// started ends with <c>data: {"error": …}</c>.
/// </summary>
public static class OpenAiErrors
{
    /// <summary>
    /// The OpenAI-compatible routes. Every problem under them carries the member, including those routing answers itself
    /// (a wrong method or content type), which run no endpoint of ours and so could carry no marker of it.
    /// </summary>
    private static readonly PathString[] CompatiblePaths = [ChatCompletionsApi.Path, ModelsApi.Path];

    /// <summary>Adds the <c>error</c> member to problems of the OpenAI-compatible routes (a <c>CustomizeProblemDetails</c> hook).</summary>
    public static void AddErrorMember(ProblemDetailsContext context)
    {
        var path = context.HttpContext.Request.Path;
        if (!CompatiblePaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))) return;
        context.ProblemDetails.Extensions["error"] = From(context.ProblemDetails);
    }

    public static OpenAiError From(ProblemDetails problem)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var param = problem.Extensions.TryGetValue("errors", out var errors) && errors is IReadOnlyDictionary<string, string[]> fields
            ? fields.Keys.FirstOrDefault()
            : null;
        var code = status == StatusCodes.Status404NotFound && param == "model"
            ? "model_not_found" // what OpenAI's clients know an unknown model by
            : problem.Extensions.TryGetValue("code", out var ragSuiteCode) ? ragSuiteCode as string : null;
        return new OpenAiError(problem.Detail ?? problem.Title ?? "The request failed.", Type(status), param, code);
    }

    /// <summary>OpenAI's error types by status: the request's fault, a missing or refused key, a missing thing, too many requests, or the server's.</summary>
    public static string Type(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "authentication_error",
        StatusCodes.Status403Forbidden => "permission_error",
        StatusCodes.Status404NotFound => "not_found_error",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}

/// <summary>OpenAI's error object; <c>param</c> names the field at fault, <c>code</c> is RagSuite's problem code (or <c>model_not_found</c>).</summary>
public sealed record OpenAiError(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);

/// <summary>The body of a failure, as an OpenAI client reads it: a line <c>data: {"error": …}</c> ends a stream that failed midway.</summary>
public sealed record OpenAiErrorBody(OpenAiError Error);
