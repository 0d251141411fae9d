using System.Diagnostics.CodeAnalysis;
using RagSuite.Retrieval;

namespace RagSuite.Gateway.Api;

/// <summary>
/// The OpenAI-compatible name of a collection: <c>rag:&lt;collection&gt;</c>, or <c>rag:&lt;collection&gt;:&lt;hint&gt;</c>
/// where the hint (everything after the second colon) is a routing hint for generation. OpenAI clients can only
/// choose a "model", so the collection to answer from travels in that field; <c>GET /v1/models</c> lists one per collection.
/// </summary>
public sealed record RagModelName(string Collection, string? RouteHint)
{
    public const string Prefix = "rag:";
    public const int MaxHintLength = 128;
    public const string Form = "rag:<collection> or rag:<collection>:<hint>";

    /// <summary>The model name that answers from <paramref name="collection"/>.</summary>
    public static string Of(string collection) => Prefix + collection;

    /// <summary>Reads <paramref name="model"/>, or says in <paramref name="problem"/> what is wrong with it.</summary>
    public static bool TryParse(string model, [NotNullWhen(true)] out RagModelName? name, [NotNullWhen(false)] out string? problem)
    {
        name = null;
        if (!model.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"'{model}' is not a RagSuite model; name a collection as {Form} (GET /v1/models lists them)";
            return false;
        }
        var rest = model[Prefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var collection = colon < 0 ? rest : rest[..colon];
        var hint = colon < 0 ? null : rest[(colon + 1)..];
        if (collection.Length == 0)
        {
            problem = $"'{model}' names no collection; use {Form}";
            return false;
        }
        if (!CollectionNames.IsValid(collection))
        {
            problem = $"'{collection}' is not a valid collection name ({CollectionNames.Rule})";
            return false;
        }
        if (hint is not null && (hint.Length is 0 or > MaxHintLength || hint.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            problem = $"the hint after '{Prefix}{collection}:' must be 1-{MaxHintLength} characters without spaces";
            return false;
        }
        name = new RagModelName(collection, hint);
        problem = null;
        return true;
    }
}
