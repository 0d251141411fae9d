using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RagSuite.ServiceDefaults;

/// <summary>
/// How a host writes its console log (<c>RagSuite:Hosting:LogFormat</c>): <c>json</c>, one JSON object a line with
/// its scopes, so a log shipper needs no parsing rules and every line written during a request carries the request's
/// TraceId and SpanId; or <c>text</c>, the usual console format for a person at a terminal. Unset, a host in a
/// container (<c>DOTNET_RUNNING_IN_CONTAINER=true</c>, set by the .NET base images) writes JSON, any other writes text.
/// </summary>
public static class LogFormat
{
    public const string Json = "json";
    public const string Text = "text";

    public const string Setting = HostingOptions.Section + ":" + nameof(HostingOptions.LogFormat);

    /// <summary>The format configuration asks for, or the default for where the host runs.</summary>
    /// <exception cref="OptionsValidationException">The setting is neither <c>json</c> nor <c>text</c>.</exception>
    public static string Resolve(IConfiguration configuration)
    {
        var configured = configuration[Setting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return HostingOptions.InContainer(configuration[HostingOptions.InContainerVariable]) ? Json : Text;
        }
        return configured.Trim().ToLowerInvariant() switch
        {
            Json => Json,
            Text => Text,
            _ => throw new OptionsValidationException(HostingOptions.Section, typeof(HostingOptions),
                [$"{Setting} must be '{Json}' or '{Text}', not '{configured}'."]),
        };
    }

    /// <summary>Switches the console logger to the built-in JSON formatter when <see cref="Resolve"/> says so.</summary>
    public static WebApplicationBuilder UseConfiguredLogFormat(this WebApplicationBuilder builder)
    {
        if (Resolve(builder.Configuration) != Json) return builder;
        // The host's logging already records the current Activity's TraceId, SpanId and ParentId as a scope
        // (ActivityTrackingOptions); IncludeScopes is what puts them, and the request path, on each line.
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        return builder;
    }
}
