using System.CommandLine;

namespace RagSuite.Bench.Peers.Commands;

/// <summary>Absolute http(s) URL options; System.CommandLine does not parse <see cref="Uri"/> itself.</summary>
internal static class Urls
{
    public static Option<Uri?> Option(string name, string description, bool required = false) =>
        new(name)
        {
            Description = description,
            Required = required,
            CustomParser = result =>
            {
                var value = result.Tokens.Single().Value;
                if (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https") return url;
                result.AddError($"{name}: '{value}' is not an http:// or https:// URL");
                return null;
            },
        };
}
