using System.ComponentModel.DataAnnotations;

namespace RagSuite.Gateway.Security;

/// <summary>
/// Cross-origin access from browsers (section <c>RagSuite:Gateway:Cors</c>). Off unless <see cref="AllowedOrigins"/> lists
/// origins: without them no response carries an <c>Access-Control-*</c> header, so a page on another origin cannot read
/// answers with a user's credentials or a key it holds.
/// </summary>
public sealed class GatewayCorsOptions : IValidatableObject
{
    public const string Section = "RagSuite:Gateway:Cors";

    /// <summary>Origins (<c>https://app.example.com</c>) whose pages may call the API; empty turns CORS off.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The methods the API uses.</summary>
    public List<string> AllowedMethods { get; set; } = ["GET", "POST", "DELETE"];

    /// <summary>The request headers the API reads: keys (<c>Authorization</c>, <c>X-Api-Key</c>) and the body's type.</summary>
    public List<string> AllowedHeaders { get; set; } = ["Authorization", "X-Api-Key", "Content-Type"];

    /// <summary>How long a browser may reuse a preflight's answer.</summary>
    [Range(0, 86400)]
    public int MaxAgeSeconds { get; set; } = 600;

    public bool Enabled => AllowedOrigins.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            // A wildcard would let any page read answers; an origin is scheme, host and port, no path.
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || origin.EndsWith('/') || !string.IsNullOrEmpty(uri.Query))
            {
                yield return new ValidationResult(
                    $"{Section}:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port], no path; '*' is not allowed)", [nameof(AllowedOrigins)]);
            }
        }
    }
}
