using System.Text.Json;
using System.Text.RegularExpressions;

namespace RagSuite.Gateway.Api;

/// <summary>Rewrites System.Text.Json's messages in the API's terms: JSON types and field paths, no .NET type names.</summary>
public static partial class JsonErrorMessages
{
    public static string Describe(JsonException exception)
    {
        var message = Reason(exception);
        return exception.Path is { Length: > 1 } path ? $"{FieldName(path)}: {message}" : message;
    }

    /// <summary>A JSON path such as <c>$.generation.top_p</c> or <c>$.documents[2].id</c> as a field name.</summary>
    public static string FieldName(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>What is wrong, without the field name.</summary>
    public static string Reason(JsonException exception)
    {
        if (UnmappedProperty().Match(exception.Message) is { Success: true } unmapped)
        {
            return $"'{unmapped.Groups[1].Value}' is not a field of this request";
        }
        var inner = exception.InnerException?.Message ?? "";
        if (WrongToken().Match(inner) is { Success: true } token)
        {
            return $"expected {token.Groups[2].Value}, not {JsonKind(token.Groups[1].Value)}";
        }
        if (inner.Contains("UTF-8", StringComparison.Ordinal)) return "the text is not valid UTF-8";
        if (exception.InnerException is FormatException)
        {
            return inner.Contains("Int", StringComparison.Ordinal) ? "expected a whole number in range" : "the value is not in a supported format";
        }
        var text = DotNetType().Replace(StripPosition(inner.Length > 0 ? inner : exception.Message), "");
        return text.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) ? "the value has the wrong JSON type" : text;
    }

    private static string StripPosition(string message)
    {
        var cut = message.IndexOfAny([" Path:", " LineNumber:"]);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static int IndexOfAny(this string text, string[] markers) =>
        markers.Select(m => text.IndexOf(m, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();

    private static string JsonKind(string tokenType) => tokenType switch
    {
        "String" or "PropertyName" => "a string",
        "Number" => "a number",
        "True" or "False" => "a boolean",
        "StartObject" => "an object",
        "StartArray" => "an array",
        "Null" => "null",
        _ => tokenType,
    };

    [GeneratedRegex(@"The JSON property '(.+?)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"\s+(?:during deserialization\s+)?(?:of|on|for)\s+type\s+'[^']*'")]
    private static partial Regex DotNetType();

    [GeneratedRegex(@"Cannot get the value of a token type '(\w+)' as (an? \w+)")]
    private static partial Regex WrongToken();
}
