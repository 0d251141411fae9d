using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Problem bodies for the statuses routing sets without an endpoint running (no such route, wrong
/// method, wrong content type), saying what was wrong and where the API is described.
/// </summary>
public static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var detail = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"There is no endpoint at {request.Path}. The API is described at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{request.Path} does not accept content type '{request.ContentType ?? "none"}'; send application/json (documents also accept multipart/form-data file uploads).",
            _ => null,
        };
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = http.Response.StatusCode, Detail = detail, Instance = request.Path },
        });
    }
}
