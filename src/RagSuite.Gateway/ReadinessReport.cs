using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RagSuite.Gateway;

/// <summary>
/// The body of the gateway's <c>/readyz</c>: the overall status (Healthy, Degraded — still ready — or Unhealthy),
/// each dependency's <see cref="RoleReadiness"/>, and each check's status, so an operator sees which service a
/// degraded gateway is missing without reading its logs.
/// </summary>
public static class ReadinessReport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var roles = report.Entries.Values.SelectMany(e => e.Data).Where(d => d.Value is RoleReadiness)
            .ToDictionary(d => d.Key, d => (RoleReadiness)d.Value);
        var checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString());
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { Status = report.Status.ToString(), Roles = roles, Checks = checks }, Json));
    }
}
